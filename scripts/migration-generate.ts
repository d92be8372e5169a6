/**
 * npm run migration:generate -- <Name>
 * Writes one migration per driver from the difference between the entities and the committed
 * migrations, each generated on a scratch database of its own kind, so that both sets stay in step.
 * MySQL needs a server: MIGRATION_DATABASE_URL or TEST_DATABASE_URL (mysql://root@127.0.0.1:3306/).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseKind } from '../src/database/database.options';
import { pendingSchemaChanges, scratchDatabase } from './migration-tools';

const escape = (sql: string) => sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`');

async function generate(kind: DatabaseKind, name: string, timestamp: number): Promise<void> {
  const { dataSource, drop } = await scratchDatabase(
    kind,
    process.env.MIGRATION_DATABASE_URL || process.env.TEST_DATABASE_URL,
  );
  try {
    const { up, down } = await pendingSchemaChanges(dataSource);
    if (!up.length) {
      process.stdout.write(`${kind}: entities and migrations are in step, nothing to generate\n`);
      return;
    }
    const className = `${name}${kind === 'mysql' ? 'Mysql' : 'Sqlite'}${timestamp}`;
    const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up.map((q) => `    await queryRunner.query(\`${escape(q)}\`);`).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${[...down]
  .reverse()
  .map((q) => `    await queryRunner.query(\`${escape(q)}\`);`)
  .join('\n')}
  }
}
`;
    const file = join(__dirname, '..', 'src', 'database', 'migrations', kind, `${timestamp}-${name}.ts`);
    writeFileSync(file, body);
    process.stdout.write(`${kind}: wrote ${file}\n`);
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  }
  const timestamp = Date.now();
  const kinds = (process.env.MIGRATION_KINDS ?? 'sqlite,mysql').split(',') as DatabaseKind[];
  for (const kind of kinds) await generate(kind, name, timestamp);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
