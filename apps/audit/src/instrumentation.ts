// Loaded first by main.ts: OpenTelemetry must patch http, grpc-js and pg before they are required.
import { startTelemetry } from '@gateway/platform/bootstrap';

startTelemetry('audit');
