import { BadRequestException, Controller, Get, Query, ServiceUnavailableException } from '@nestjs/common';
import { DatabaseUnavailableError } from '@gateway/platform';
import { z } from 'zod';
import type { CallRecordEntity } from './call-record.entity';
import { CallRecordRepository } from './call-record.repository';

const querySchema = z.object({
  sessionId: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Query side of the audit trail. */
@Controller('api/v1/audit')
export class AuditEventsController {
  constructor(private readonly records: CallRecordRepository) {}

  @Get('events')
  async events(@Query() raw: Record<string, string>): Promise<{ events: CallRecordEntity[] }> {
    const parsed = querySchema.safeParse(raw);
    if (!parsed.success) {
      throw new BadRequestException(
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      );
    }
    const query = parsed.data;
    try {
      return { events: await this.records.find(query) };
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}
