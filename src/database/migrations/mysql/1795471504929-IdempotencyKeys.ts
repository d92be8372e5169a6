import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeysMysql1795471504929 implements MigrationInterface {
  name = 'IdempotencyKeysMysql1795471504929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`idempotency_keys\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`idem_key\` varchar(64) NOT NULL, \`fingerprint\` varchar(64) NOT NULL, \`state\` varchar(8) NOT NULL DEFAULT 'running', \`response_status\` int NULL, \`response_body\` text NULL, \`expires_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_idempotency_expires_at\` (\`expires_at\`), UNIQUE INDEX \`uq_idempotency_user_key\` (\`user_id\`, \`idem_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_idempotency_user_key\` ON \`idempotency_keys\``);
    await queryRunner.query(`DROP INDEX \`ix_idempotency_expires_at\` ON \`idempotency_keys\``);
    await queryRunner.query(`DROP TABLE \`idempotency_keys\``);
  }
}
