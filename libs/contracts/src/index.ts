export * from './events';
export * from './grpc-packages';
export * as RouterApi from './generated/gateway/router/v1/router';
export * as RegistryApi from './generated/gateway/registry/v1/registry';
export * as AuthApi from './generated/gateway/auth/v1/auth';
export * as PolicyApi from './generated/gateway/policy/v1/policy';
