import { ConfigError } from '@gateway/platform';
import { loadTelemetryConfig } from './telemetry-config';

describe('loadTelemetryConfig', () => {
  it('only scrapes, watching the audit and telemetry groups every 15 s, without an OTLP endpoint', () => {
    const config = loadTelemetryConfig({ TELEMETRY_INSTANCE_ID: 'telemetry-0' });
    expect(config).toEqual({
      instanceId: 'telemetry-0',
      serviceName: 'telemetry',
      callsGroup: 'telemetry',
      lagGroups: ['audit', 'audit-security', 'audit-admin-changes', 'telemetry'],
      lagIntervalMs: 15_000,
      otlpMetrics: undefined,
    });
  });

  it('appends /v1/metrics to the shared endpoint over HTTP, protobuf by default', () => {
    const config = loadTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(config.otlpMetrics).toEqual({
      protocol: 'http/protobuf',
      url: 'http://collector:4318/v1/metrics',
      exportIntervalMs: 60_000,
      exportTimeoutMs: 30_000,
    });
  });

  it('uses a metrics endpoint as given, and the metrics protocol over the shared one', () => {
    const config = loadTelemetryConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.example/otlp/metrics',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });
    expect(config.otlpMetrics).toEqual({
      protocol: 'http/json',
      url: 'https://metrics.example/otlp/metrics',
      exportIntervalMs: 5_000,
      exportTimeoutMs: 5_000,
    });
  });

  it('sends gRPC to the shared endpoint without a path', () => {
    const config = loadTelemetryConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(config.otlpMetrics).toMatchObject({ protocol: 'grpc', url: 'http://collector:4317' });
  });

  it('watches the calls group it is given', () => {
    expect(loadTelemetryConfig({ TELEMETRY_CALLS_GROUP: 'telemetry-staging' }).lagGroups).toContain(
      'telemetry-staging',
    );
  });

  it('treats empty variables as unset and reads the lag groups as a list', () => {
    const config = loadTelemetryConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_PROTOCOL: '',
      TELEMETRY_LAG_GROUPS: ' audit , billing ,,',
    });
    expect(config.otlpMetrics).toBeUndefined();
    expect(config.lagGroups).toEqual(['audit', 'billing']);
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      loadTelemetryConfig({
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'thrift',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_METRIC_EXPORT_INTERVAL: 'soon',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: expected one of http\/protobuf/);
    expect(problems).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/);
    expect(problems).toMatch(/OTEL_METRIC_EXPORT_INTERVAL: expected a duration in milliseconds/);
  });
});
