import { DatabaseUnavailableError } from './database';
import { PostgresDatabase } from './postgres-database';

describe('PostgresDatabase before start', () => {
  const options = { url: 'postgres://127.0.0.1:1/x', schema: 'unit_test', entities: [], migrations: [] };

  it('refuses schema names that would need quoting', () => {
    expect(() => new PostgresDatabase({ ...options, schema: 'Bad-Name' })).toThrow('invalid schema name');
  });

  it('has no data source and rejects waiters once closed', async () => {
    const database = new PostgresDatabase(options);
    expect(() => database.dataSource()).toThrow(DatabaseUnavailableError);
    expect(database.health()).toEqual({ ready: false, detail: 'not started' });
    await database.close();
    await expect(database.whenReady()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(database.health().detail).toBe('closed');
  });
});
