export * from './telemetry.module';
export * from './telemetry-config';
