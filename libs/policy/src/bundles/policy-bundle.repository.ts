import { Inject, Injectable } from '@nestjs/common';
import type { PolicyBundleValue } from '@gateway/contracts';
import type { Database } from '@gateway/platform';
import { PolicyBundleEntity } from './policy-bundle.entity';

export const POLICY_DATABASE = Symbol('POLICY_DATABASE');

function toValue(row: PolicyBundleEntity): PolicyBundleValue {
  return { ...row, publishedAt: row.publishedAt.toISOString() };
}

@Injectable()
export class PolicyBundleRepository {
  constructor(@Inject(POLICY_DATABASE) private readonly database: Database) {}

  async all(): Promise<PolicyBundleValue[]> {
    const dataSource = await this.database.whenReady();
    return (await dataSource.getRepository(PolicyBundleEntity).find()).map(toValue);
  }

  /** Creates the bundle unless the tenant already has one; a single statement. */
  async createIfMissing(bundle: PolicyBundleValue): Promise<void> {
    const dataSource = await this.database.whenReady();
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(PolicyBundleEntity)
      .values({ ...bundle, publishedAt: new Date(bundle.publishedAt) })
      .orIgnore()
      .execute();
  }
}
