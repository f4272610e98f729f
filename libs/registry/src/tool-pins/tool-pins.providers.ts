import type { Provider } from '@nestjs/common';
import { CreateToolPins1764600000000 } from './1764600000000-create-tool-pins.migration';
import { ToolPinEntity } from './tool-pin.entity';
import { ToolPinRepository } from './tool-pin.repository';
import { ToolPinsController } from './tool-pins.controller';
import { ToolPinsService } from './tool-pins.service';
import { TOOL_REVIEW_CONFIG, type ToolReviewConfig } from './tool-review.config';

/** What the registry module takes in for the tool review: table, migration, API and service. */
export const toolPinEntities = [ToolPinEntity];
export const toolPinMigrations = [CreateToolPins1764600000000];
export const toolPinControllers = [ToolPinsController];

export function toolPinProviders(config: ToolReviewConfig): Provider[] {
  return [{ provide: TOOL_REVIEW_CONFIG, useValue: config }, ToolPinRepository, ToolPinsService];
}
