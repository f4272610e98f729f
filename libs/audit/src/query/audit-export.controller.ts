import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { createLogger } from '@gateway/platform';
import type { Response } from 'express';
import { exportQuerySchema, parseQuery } from './audit-query';
import { AuditExportService } from './audit-export.service';
import { AuditHttpErrorFilter } from './audit-http-error.filter';

/** Streaming export of the trail: the same filters as /events, every matching record, oldest first. */
@Controller('api/v1/audit')
@UseFilters(AuditHttpErrorFilter)
export class AuditExportController {
  private readonly logger = createLogger('audit-export');

  constructor(private readonly exports: AuditExportService) {}

  @Get('export')
  async export(@Query() raw: unknown, @Res() response: Response): Promise<void> {
    const { format, ...filters } = parseQuery(exportQuerySchema, raw);
    const opened = await this.exports.open(filters, format);
    response.status(200);
    response.setHeader('content-type', opened.contentType);
    response.setHeader('content-disposition', `attachment; filename="${opened.fileName}"`);
    try {
      await opened.pipeTo(response);
    } catch (error) {
      // The headers are sent: the only way left to say "incomplete" is to cut the response short,
      // which pipeline has done by destroying it.
      if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.debug({ format }, 'audit export stopped: the client went away');
      } else {
        this.logger.warn({ err: error, format }, 'audit export failed midway; response cut short');
      }
    }
  }
}
