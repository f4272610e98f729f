import { randomUUID } from 'node:crypto';
import { ConsumerGroups } from '@gateway/contracts';
import { envFields, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';

export const otlpProtocols = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof otlpProtocols)[number];

/** An unset and an empty variable mean the same: deployment templates often render "". */
const unsetWhenEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

const optionalUrl = z.preprocess(
  unsetWhenEmpty,
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
);

/** The audit service's consumer groups: one per topic it records. */
const auditGroups = [
  ConsumerGroups.auditCalls,
  ConsumerGroups.auditSecurity,
  ConsumerGroups.auditAdminChanges,
];

const protocol = z.enum(otlpProtocols, { error: `expected one of ${otlpProtocols.join(', ')}` });

const telemetryEnvSchema = z.object({
  TELEMETRY_INSTANCE_ID: z
    .string()
    .min(1)
    .default(() => `telemetry-${randomUUID().slice(0, 8)}`),
  TELEMETRY_CALLS_GROUP: z.string().min(1).default(ConsumerGroups.telemetryCalls),
  TELEMETRY_LAG_GROUPS: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((group) => group.trim())
          .filter(Boolean),
      )
      .optional(),
  ),
  TELEMETRY_LAG_INTERVAL_MS: envFields.milliseconds(15_000),
  OTEL_SERVICE_NAME: z.preprocess(unsetWhenEmpty, z.string().default('telemetry')),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(unsetWhenEmpty, protocol.default('http/protobuf')),
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: z.preprocess(unsetWhenEmpty, protocol.optional()),
  OTEL_METRIC_EXPORT_INTERVAL: envFields.milliseconds(60_000),
  OTEL_METRIC_EXPORT_TIMEOUT: envFields.milliseconds(30_000),
});

export interface OtlpMetricsConfig {
  readonly protocol: OtlpProtocol;
  /** The full export URL (…/v1/metrics for HTTP). */
  readonly url: string;
  readonly exportIntervalMs: number;
  readonly exportTimeoutMs: number;
}

export interface TelemetryConfig {
  readonly instanceId: string;
  /** service.name of the metrics resource. */
  readonly serviceName: string;
  /**
   * The consumer group that reads the call stream. Replicas of one deployment share it (each
   * call is counted once); a second deployment on the same cluster needs its own.
   */
  readonly callsGroup: string;
  /** Consumer groups whose lag is always watched, besides those live replicas announce. */
  readonly lagGroups: readonly string[];
  readonly lagIntervalMs: number;
  /** Absent unless an OTLP endpoint is set: then metrics are only scraped from /metrics. */
  readonly otlpMetrics?: OtlpMetricsConfig;
}

/**
 * The OTLP endpoint rules of the OpenTelemetry specification: a signal-specific endpoint is used
 * as given; the shared one gets /v1/metrics appended over HTTP and is used as given over gRPC.
 */
function otlpMetricsUrl(
  protocol: OtlpProtocol,
  metricsEndpoint: string | undefined,
  sharedEndpoint: string | undefined,
): string | undefined {
  if (metricsEndpoint) return metricsEndpoint;
  if (!sharedEndpoint || protocol === 'grpc') return sharedEndpoint;
  return `${sharedEndpoint.replace(/\/+$/, '')}/v1/metrics`;
}

export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const parsed = loadEnvConfig(telemetryEnvSchema, env);
  const protocol = parsed.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? parsed.OTEL_EXPORTER_OTLP_PROTOCOL;
  const url = otlpMetricsUrl(
    protocol,
    parsed.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
    parsed.OTEL_EXPORTER_OTLP_ENDPOINT,
  );
  return {
    instanceId: parsed.TELEMETRY_INSTANCE_ID,
    serviceName: parsed.OTEL_SERVICE_NAME,
    callsGroup: parsed.TELEMETRY_CALLS_GROUP,
    lagGroups: parsed.TELEMETRY_LAG_GROUPS ?? [...auditGroups, parsed.TELEMETRY_CALLS_GROUP],
    lagIntervalMs: parsed.TELEMETRY_LAG_INTERVAL_MS,
    otlpMetrics: url
      ? {
          protocol,
          url,
          exportIntervalMs: parsed.OTEL_METRIC_EXPORT_INTERVAL,
          // The SDK refuses a timeout longer than the interval; a short interval implies a short one.
          exportTimeoutMs: Math.min(parsed.OTEL_METRIC_EXPORT_TIMEOUT, parsed.OTEL_METRIC_EXPORT_INTERVAL),
        }
      : undefined,
  };
}

export const TELEMETRY_CONFIG = Symbol('TELEMETRY_CONFIG');
