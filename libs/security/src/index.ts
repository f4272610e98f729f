export * from './identity/principal';
export * from './crypto/envelope-cipher';
export * from './crypto/master-key.config';
