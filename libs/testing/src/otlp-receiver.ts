import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
}

/** One data point of one exported metric, as an OTLP/JSON export carried it. */
export interface ReceivedMetricPoint {
  readonly service: string;
  readonly name: string;
  readonly unit: string;
  readonly kind: 'sum' | 'gauge' | 'histogram' | 'other';
  readonly attributes: Readonly<Record<string, string>>;
  /** The value of a sum or gauge; the count of a histogram. */
  readonly value: number;
}

/** An export request to /v1/metrics, whatever its encoding. */
export interface ReceivedMetricRequest {
  readonly contentType: string;
  readonly bytes: number;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

interface OtlpTraceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number }>;
    }>;
  }>;
}

interface OtlpNumberPoint {
  attributes?: OtlpAttribute[];
  asDouble?: number;
  asInt?: string | number;
  count?: string | number;
}

interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints?: OtlpNumberPoint[] };
  gauge?: { dataPoints?: OtlpNumberPoint[] };
  histogram?: { dataPoints?: OtlpNumberPoint[] };
}

interface OtlpMetricsRequest {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: Array<{ metrics?: OtlpMetric[] }>;
  }>;
}

function attributeText(value: OtlpAttribute['value']): string {
  return String(value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue ?? '');
}

function attributeRecord(attributes: OtlpAttribute[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (attributes ?? []).map((attribute) => [attribute.key, attributeText(attribute.value)]),
  );
}

function serviceOf(resource: { attributes?: OtlpAttribute[] } | undefined): string {
  return attributeRecord(resource?.attributes)['service.name'] ?? '';
}

function isProtobuf(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').includes('protobuf');
}

/**
 * A minimal OTLP/HTTP receiver on loopback: the services' real exporters send their spans
 * (/v1/traces, JSON) and metrics (/v1/metrics) here, and a test reads them back. Metrics sent as
 * JSON are decoded into points; protobuf ones are only counted, with their content type.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metricPoints: ReceivedMetricPoint[] = [];
  readonly metricRequests: ReceivedMetricRequest[] = [];
  /** Bodies that could not be decoded, so a test can tell "nothing sent" from "sent garbage". */
  readonly rejected: string[] = [];
  private server: Server | undefined;
  private port = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.receive(request.url ?? '', request.headers, Buffer.concat(chunks));
        // An empty protobuf message is a valid (fully successful) export response.
        if (isProtobuf(request.headers))
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  spansOfTrace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  /** The points received for a metric whose attributes include the given ones, oldest first. */
  pointsOf(name: string, attributes: Record<string, string> = {}): ReceivedMetricPoint[] {
    return this.metricPoints.filter(
      (point) =>
        point.name === name &&
        Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
    );
  }

  private receive(path: string, headers: IncomingHttpHeaders, body: Buffer): void {
    try {
      const raw = headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      if (path === '/v1/traces') this.acceptSpans(JSON.parse(raw.toString('utf8')) as OtlpTraceRequest);
      if (path !== '/v1/metrics') return;
      this.metricRequests.push({ contentType: headers['content-type'] ?? '', bytes: raw.length });
      if (!isProtobuf(headers)) this.acceptMetrics(JSON.parse(raw.toString('utf8')) as OtlpMetricsRequest);
    } catch (error) {
      this.rejected.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private acceptSpans(request: OtlpTraceRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = serviceOf(resourceSpans.resource);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
          });
        }
      }
    }
  }

  private acceptMetrics(request: OtlpMetricsRequest): void {
    for (const resourceMetrics of request.resourceMetrics ?? []) {
      const service = serviceOf(resourceMetrics.resource);
      for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scopeMetrics.metrics ?? []) this.acceptMetric(service, metric);
      }
    }
  }

  private acceptMetric(service: string, metric: OtlpMetric): void {
    const [kind, points]: [ReceivedMetricPoint['kind'], OtlpNumberPoint[]] = metric.sum
      ? ['sum', metric.sum.dataPoints ?? []]
      : metric.gauge
        ? ['gauge', metric.gauge.dataPoints ?? []]
        : metric.histogram
          ? ['histogram', metric.histogram.dataPoints ?? []]
          : ['other', []];
    for (const point of points) {
      this.metricPoints.push({
        service,
        name: metric.name,
        unit: metric.unit ?? '',
        kind,
        attributes: attributeRecord(point.attributes),
        value: Number(kind === 'histogram' ? point.count : (point.asDouble ?? point.asInt)),
      });
    }
  }
}
