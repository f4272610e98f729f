/**
 * Starts OpenTelemetry before any instrumented library (http, express, grpc-js, pg) is loaded,
 * so their patches apply. Each app imports its own `instrumentation.ts` first, which calls
 * startTelemetry(); this file must therefore import nothing but OpenTelemetry.
 *
 * Export is configured with the standard variables: OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on OTLP export; OTEL_EXPORTER_OTLP_PROTOCOL (or
 * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) picks `http/protobuf` (the default), `http/json` or
 * `grpc`; OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG choose sampling;
 * OTEL_BSP_SCHEDULE_DELAY the export interval. The SDK builds the exporter from these itself.
 * Without an endpoint no spans are exported (and none are recorded). Metrics belong to the
 * telemetry service, which runs its own meter provider, so the SDK sets up none.
 */
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

function otlpEndpointConfigured(): boolean {
  return Boolean(
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? process.env['OTEL_EXPORTER_OTLP_ENDPOINT'],
  );
}

export function startTelemetry(serviceName: string): void {
  if (sdk || process.env['OTEL_SDK_DISABLED'] === 'true') return;
  sdk = new NodeSDK({
    serviceName: process.env['OTEL_SERVICE_NAME'] ?? serviceName,
    // Undefined lets the SDK configure export from OTEL_TRACES_EXPORTER and the OTLP variables.
    spanProcessors: otlpEndpointConfigured() ? undefined : [],
    metricReaders: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new GrpcInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
}

/** Flushes and stops the SDK; spans still buffered are exported first. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
