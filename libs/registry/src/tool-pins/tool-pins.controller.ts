import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import { toolPinStatus } from '@gateway/contracts';
import { CurrentPrincipal, type Principal } from '@gateway/security';
import { ToolPinHttpErrorFilter } from './tool-pin-http-error.filter';
import { type ToolPinView, ToolPinsService } from './tool-pins.service';

/** Who acts when no principal is on the request: a process booted without the admin guard. */
const systemActor = 'system';

/** Admin REST API of the tool review: what is pinned, quarantined or held, and the decisions on it. */
@Controller('api/v1/tool-pins')
@UseFilters(ToolPinHttpErrorFilter)
export class ToolPinsController {
  constructor(private readonly toolPins: ToolPinsService) {}

  /** `status`: approved | quarantined | held; `server`: a server id or name. */
  @Get()
  list(@Query('status') status?: string, @Query('server') server?: string): { pins: ToolPinView[] } {
    const parsed = toolPinStatus.optional().safeParse(status || undefined);
    if (!parsed.success) {
      throw new BadRequestException([`status: expected one of ${toolPinStatus.options.join(', ')}`]);
    }
    return { pins: this.toolPins.list({ status: parsed.data, server: server || undefined }) };
  }

  /** Approves the definition the pin last saw; agents see the tool again. */
  @Post(':serverId/:tool/approve')
  @HttpCode(200)
  approve(
    @Param('serverId') serverId: string,
    @Param('tool') tool: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<ToolPinView> {
    return this.toolPins.approve(serverId, tool, principal?.id ?? systemActor);
  }

  /** Takes the tool away from agents and revokes its approval. */
  @Post(':serverId/:tool/quarantine')
  @HttpCode(200)
  quarantine(
    @Param('serverId') serverId: string,
    @Param('tool') tool: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<ToolPinView> {
    return this.toolPins.quarantine(serverId, tool, principal?.id ?? systemActor);
  }
}
