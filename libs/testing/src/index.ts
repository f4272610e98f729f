export * from './wait-for';
export * from './free-port';
export * from './service-process';
export * from './otlp-receiver';
