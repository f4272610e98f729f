export * from './auth.module';
export { type AuthConfig, loadAuthConfig, loadAuthMasterKeyCipher } from './auth-config';
export { hashApiKey } from './api-keys/api-key-verifier';
export { apiKeyPattern } from './api-keys/api-key.format';
export type { AccessTokenClaims, ActorClaim } from './tokens/token-claims';
