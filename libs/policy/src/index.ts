export * from './policy.module';
export * from './policy-config';
