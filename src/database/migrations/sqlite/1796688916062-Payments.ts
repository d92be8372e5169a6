import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentsSqlite1796688916062 implements MigrationInterface {
  name = 'PaymentsSqlite1796688916062';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "payments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "order_id" integer NOT NULL, "channel" varchar(16) NOT NULL, "method" varchar(8) NOT NULL, "status" varchar(16) NOT NULL, "amount_cents" integer NOT NULL, "out_trade_no" varchar(32) NOT NULL, "open_slot" varchar(24), "provider_trade_no" varchar(64), "qr_code" varchar(255), "app_params" text, "expires_at" datetime(3) NOT NULL, "paid_at" datetime(3), "closed_at" datetime(3), "refunded_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payments_out_trade_no" ON "payments" ("out_trade_no") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payments_open_slot" ON "payments" ("order_id", "open_slot") `);
    await queryRunner.query(`CREATE INDEX "ix_payments_status_expires" ON "payments" ("status", "expires_at") `);
    await queryRunner.query(`CREATE TABLE "payment_refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "payment_id" integer NOT NULL, "refund_no" varchar(64) NOT NULL, "amount_cents" integer NOT NULL, "status" varchar(16) NOT NULL, "reason" varchar(255) NOT NULL, "refunded_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_payment" ON "payment_refunds" ("payment_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_refund_no" ON "payment_refunds" ("refund_no") `);
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_payment"`);
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_refund_no"`);
    await queryRunner.query(`CREATE TABLE "temporary_payment_refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "payment_id" integer NOT NULL, "refund_no" varchar(64) NOT NULL, "amount_cents" integer NOT NULL, "status" varchar(16) NOT NULL, "reason" varchar(255) NOT NULL, "refunded_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_a10d6c1918989353b79932a2bad" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_payment_refunds"("id", "payment_id", "refund_no", "amount_cents", "status", "reason", "refunded_at", "created_at") SELECT "id", "payment_id", "refund_no", "amount_cents", "status", "reason", "refunded_at", "created_at" FROM "payment_refunds"`);
    await queryRunner.query(`DROP TABLE "payment_refunds"`);
    await queryRunner.query(`ALTER TABLE "temporary_payment_refunds" RENAME TO "payment_refunds"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_payment" ON "payment_refunds" ("payment_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_refund_no" ON "payment_refunds" ("refund_no") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_refund_no"`);
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_payment"`);
    await queryRunner.query(`ALTER TABLE "payment_refunds" RENAME TO "temporary_payment_refunds"`);
    await queryRunner.query(`CREATE TABLE "payment_refunds" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "payment_id" integer NOT NULL, "refund_no" varchar(64) NOT NULL, "amount_cents" integer NOT NULL, "status" varchar(16) NOT NULL, "reason" varchar(255) NOT NULL, "refunded_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "payment_refunds"("id", "payment_id", "refund_no", "amount_cents", "status", "reason", "refunded_at", "created_at") SELECT "id", "payment_id", "refund_no", "amount_cents", "status", "reason", "refunded_at", "created_at" FROM "temporary_payment_refunds"`);
    await queryRunner.query(`DROP TABLE "temporary_payment_refunds"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_refund_no" ON "payment_refunds" ("refund_no") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_payment_refunds_payment" ON "payment_refunds" ("payment_id") `);
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_refund_no"`);
    await queryRunner.query(`DROP INDEX "uq_payment_refunds_payment"`);
    await queryRunner.query(`DROP TABLE "payment_refunds"`);
    await queryRunner.query(`DROP INDEX "ix_payments_status_expires"`);
    await queryRunner.query(`DROP INDEX "uq_payments_open_slot"`);
    await queryRunner.query(`DROP INDEX "uq_payments_out_trade_no"`);
    await queryRunner.query(`DROP TABLE "payments"`);
  }
}
