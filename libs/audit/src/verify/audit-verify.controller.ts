import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { z } from 'zod';
import { parseQuery } from '../query/audit-query';
import { AuditHttpErrorFilter } from '../query/audit-http-error.filter';
import { AuditVerifyService, type VerifyReport } from './audit-verify.service';

const verifyQuerySchema = z.strictObject({
  chain: z.string({ error: 'expected a chain name once' }).min(1, 'expected a chain name').optional(),
});

/** Proves the trail: 200 with ok true, or ok false and the first broken link. */
@Controller('api/v1/audit')
@UseFilters(AuditHttpErrorFilter)
export class AuditVerifyController {
  constructor(private readonly verifier: AuditVerifyService) {}

  @Get('verify')
  async verify(@Query() raw: unknown): Promise<VerifyReport> {
    const { chain } = parseQuery(verifyQuerySchema, raw);
    return this.verifier.verify(chain);
  }
}
