import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../http/public-route.decorator';
import { ReadinessRegistry } from './readiness.registry';

@Controller()
@Public('orchestrators probe liveness and readiness without credentials')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** Alive: the process serves HTTP. Orchestrators restart it when this fails. */
  @Get('healthz')
  @HttpCode(HttpStatus.OK)
  alive(): { status: 'alive' } {
    return { status: 'alive' };
  }

  /** Ready: every dependency of this process is reachable. 503 takes it out of rotation. */
  @Get('readyz')
  ready(@Res() response: Response): void {
    const { ready, checks } = this.readiness.evaluate();
    response
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ready ? 'ready' : 'not-ready', checks });
  }
}
