export * from './gateway-error-codes';
export * from './exposed-names';
export * from './sealed-box';
export * from './session-token';
export * from './rpc-message';
