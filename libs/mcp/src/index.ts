export * from './gateway-error-codes';
export * from './exposed-names';
