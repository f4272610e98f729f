export * from './identity/principal';
export * from './crypto/envelope-cipher';
export * from './crypto/master-key.config';
export * from './admin/route-access.decorators';
