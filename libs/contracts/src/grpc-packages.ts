import { join } from 'node:path';

/** Root of the .proto files; the build copies them beside the compiled code. */
export const protoRoot = join(__dirname, '..', 'proto');

export interface GrpcPackage {
  /** Protobuf package name, as NestJS and grpc-js address it. */
  readonly package: string;
  readonly protoPath: string;
  readonly service: string;
}

function grpcPackage(name: string, service: string): GrpcPackage {
  return {
    package: `gateway.${name}.v1`,
    protoPath: join(protoRoot, 'gateway', name, 'v1', `${name}.proto`),
    service,
  };
}

export const GrpcPackages = {
  router: grpcPackage('router', 'RouterService'),
  registry: grpcPackage('registry', 'RegistryService'),
  auth: grpcPackage('auth', 'AuthService'),
  policy: grpcPackage('policy', 'PolicyService'),
} as const;

/** proto-loader options matching the generated TypeScript (camelCase fields, numbers for 64-bit). */
export const protoLoaderOptions = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};
