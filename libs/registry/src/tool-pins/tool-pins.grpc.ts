import { RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { RegistryApi, ToolPinValue } from '@gateway/contracts';
import { DatabaseUnavailableError } from '@gateway/platform';
import { CatalogNotLoadedError } from '../catalog/catalog.service';
import { InvalidToolReportError, ToolPinsNotLoadedError } from './tool-pin.errors';
import type { ToolPinsService } from './tool-pins.service';

export function toProtoPin(pin: ToolPinValue): RegistryApi.ToolPin {
  return {
    serverId: pin.serverId,
    tool: pin.tool,
    status: pin.status,
    approvedFingerprint: pin.approvedFingerprint,
    observedFingerprint: pin.observedFingerprint,
    findings: pin.findings,
    decidedBy: pin.decidedBy,
    decidedAt: pin.decidedAt,
  };
}

function toRpcException(error: unknown): unknown {
  if (error instanceof InvalidToolReportError) {
    return new RpcException({ code: GrpcStatus.INVALID_ARGUMENT, message: error.message });
  }
  if (
    error instanceof ToolPinsNotLoadedError ||
    error instanceof CatalogNotLoadedError ||
    error instanceof DatabaseUnavailableError
  ) {
    return new RpcException({ code: GrpcStatus.UNAVAILABLE, message: error.message });
  }
  return error;
}

/** RegistryService.ReportTools: the review of what a router saw upstream, errors as gRPC statuses. */
export async function reportToolsOverGrpc(
  toolPins: ToolPinsService,
  request: RegistryApi.ReportToolsRequest,
): Promise<RegistryApi.ReportToolsResponse> {
  try {
    const pins = await toolPins.report(request.serverId, request.toolsJson ?? []);
    return { pins: pins.map(toProtoPin) };
  } catch (error) {
    throw toRpcException(error);
  }
}
