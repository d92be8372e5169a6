import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeysSqlite1795471504929 implements MigrationInterface {
  name = 'IdempotencyKeysSqlite1795471504929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "idem_key" varchar(64) NOT NULL, "fingerprint" varchar(64) NOT NULL, "state" varchar(8) NOT NULL DEFAULT ('running'), "response_status" integer, "response_body" text, "expires_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_idempotency_expires_at" ON "idempotency_keys" ("expires_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_idempotency_user_key" ON "idempotency_keys" ("user_id", "idem_key") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_idempotency_user_key"`);
    await queryRunner.query(`DROP INDEX "ix_idempotency_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
