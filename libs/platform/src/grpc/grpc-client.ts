import { type ClientGrpc, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { type GrpcPackage, protoLoaderOptions } from '@gateway/contracts';

/** A typed gRPC client for one service of the contracts, e.g. the router as seen by ingress. */
export function createGrpcClient<Client extends object>(grpcPackage: GrpcPackage, address: string): Client {
  const proxy = ClientProxyFactory.create({
    transport: Transport.GRPC,
    options: {
      url: address,
      package: grpcPackage.package,
      protoPath: grpcPackage.protoPath,
      loader: protoLoaderOptions,
    },
  }) as unknown as ClientGrpc;
  return proxy.getService<Client>(grpcPackage.service);
}
