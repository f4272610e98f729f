import { type DynamicModule, type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json, type NextFunction, type Request, type Response } from 'express';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { GrpcPackage, protoLoaderOptions } from '@gateway/contracts';
import { Logger as NestPinoLogger, LoggerModule } from 'nestjs-pino';
import { ConfigError } from '../config/load-config';
import { createLogger, rootLogger } from '../observability/logger';
import { stopTelemetry } from '../observability/telemetry-bootstrap';

export interface ServiceProcess {
  /** Names the process in logs, e.g. "ingress" or "gateway". */
  readonly name: string;
  readonly modules: ReadonlyArray<DynamicModule | Type>;
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Paths whose handlers read their own request bodies (the MCP endpoints); the rest get JSON. */
    readonly rawBodyPaths?: RegExp;
  };
  /** gRPC services this process serves, all on one address. */
  readonly grpc?: { readonly address: string; readonly packages: readonly GrpcPackage[] };
}

/** Boots one process: the given service modules, the HTTP server, and the gRPC server if any. */
export async function startServiceProcess(definition: ServiceProcess): Promise<INestApplication> {
  @Module({
    imports: [
      LoggerModule.forRoot({ pinoHttp: { logger: rootLogger(), autoLogging: false, quietReqLogger: true } }),
      ...definition.modules,
    ],
  })
  class ProcessModule {}

  // The MCP endpoints read their own bodies (JSON-RPC errors, their own size limit); the rest is JSON.
  const app = await NestFactory.create(ProcessModule, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  const jsonBody = json({ limit: '1mb' });
  app.use((request: Request, response: Response, next: NextFunction) =>
    definition.http.rawBodyPaths?.test(request.path) ? next() : jsonBody(request, response, next),
  );
  app.enableShutdownHooks();
  if (definition.grpc && definition.grpc.packages.length > 0) {
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.GRPC,
        options: {
          url: definition.grpc.address,
          package: definition.grpc.packages.map((grpcPackage) => grpcPackage.package),
          protoPath: definition.grpc.packages.map((grpcPackage) => grpcPackage.protoPath),
          loader: protoLoaderOptions,
        },
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(definition.http.port, definition.http.host);
  return app;
}

/**
 * The entry point of every app's main.ts: starts the process, and turns a configuration error
 * into a message naming the bad variable and exit code 78 (EX_CONFIG) instead of a stack trace.
 */
export function runServiceProcess(
  define: () => ServiceProcess | Promise<ServiceProcess>,
  onStarted?: (app: INestApplication, definition: ServiceProcess) => void,
): void {
  const logger = createLogger('main');
  const start = async (): Promise<void> => {
    const definition = await define();
    const app = await startServiceProcess(definition);
    logger.info({ http: definition.http, grpc: definition.grpc?.address }, `${definition.name} started`);
    onStarted?.(app, definition);
  };
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    logger.fatal({ err: error }, 'failed to start');
    void stopTelemetry().finally(() => process.exit(1));
  });
}
