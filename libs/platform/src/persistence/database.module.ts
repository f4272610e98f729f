import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ReadinessRegistry } from '../health/readiness.registry';
import { createLogger } from '../observability/logger';
import { DATABASE_URL } from '../service/platform.module';
import type { Database, DatabaseOptions } from './database';
import { PostgresDatabase } from './postgres-database';

export interface ServiceDatabaseOptions extends Omit<DatabaseOptions, 'url'> {
  /** Injection token under which the service receives its Database. */
  readonly token: symbol;
}

/** Gives one service its own Database on its own schema, migrated at start and watched by /readyz. */
@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    const { token, ...databaseOptions } = options;
    class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
      constructor(
        @Inject(token) private readonly database: Database,
        private readonly readiness: ReadinessRegistry,
      ) {}

      onModuleInit(): void {
        this.readiness.register(`database:${options.schema}`, () => this.database.health());
        this.database.start();
      }

      async onApplicationShutdown(): Promise<void> {
        await this.database.close();
      }
    }
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: token,
          inject: [DATABASE_URL],
          useFactory: (url: string): Database =>
            new PostgresDatabase(
              { ...databaseOptions, url },
              createLogger('database', { schema: options.schema }),
            ),
        },
        DatabaseLifecycle,
      ],
      exports: [token],
    };
  }
}
