import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpProtocol } from '../telemetry-config';

/**
 * The OTLP metric exporter for a protocol. Headers, compression, TLS files and temporality
 * still come from the standard OTEL_EXPORTER_OTLP_* variables, which the exporters read.
 */
export function createOtlpMetricExporter(protocol: OtlpProtocol, url: string): PushMetricExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new ProtobufMetricExporter({ url });
    case 'http/json':
      return new JsonMetricExporter({ url });
    case 'grpc':
      return new GrpcMetricExporter({ url });
  }
}
