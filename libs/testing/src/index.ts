export * from './wait-for';
export * from './free-port';
export * from './service-process';
export * from './otlp-receiver';
export * from './everything-server';
export * from './distributed-topology';
export * from './child-process.supervisor';
export * from './gateway-credentials';
