import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsSqlite1796700162930 implements MigrationInterface {
  name = 'NotificationsSqlite1796700162930';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "outbox_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_id" varchar(40) NOT NULL, "type" varchar(32) NOT NULL, "cinema_id" integer NOT NULL, "user_id" integer NOT NULL, "order_id" integer NOT NULL, "body" text NOT NULL, "created_at" datetime(3) NOT NULL, "routed_at" datetime(3))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_outbox_events_event_id" ON "outbox_events" ("event_id") `);
    await queryRunner.query(`CREATE INDEX "ix_outbox_events_unrouted" ON "outbox_events" ("routed_at", "id") `);
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "url" varchar(2048) NOT NULL, "events" text NOT NULL, "description" varchar(200), "secret" varchar(80) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_cinema" ON "webhook_endpoints" ("cinema_id", "id") `);
    await queryRunner.query(`CREATE TABLE "notification_deliveries" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_row_id" integer NOT NULL, "channel" varchar(8) NOT NULL, "endpoint_id" integer, "recipient" varchar(255), "status" varchar(12) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "last_status_code" integer, "last_error" varchar(255), "next_attempt_at" datetime(3), "claim_token" varchar(32), "delivered_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_route" ON "notification_deliveries" ("event_row_id", "channel", "endpoint_id") `);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_endpoint" ON "notification_deliveries" ("endpoint_id", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_due" ON "notification_deliveries" ("status", "next_attempt_at") `);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_cinema"`);
    await queryRunner.query(`CREATE TABLE "temporary_webhook_endpoints" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "url" varchar(2048) NOT NULL, "events" text NOT NULL, "description" varchar(200), "secret" varchar(80) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_5d46e342e222a311a757ba1dc05" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_webhook_endpoints"("id", "cinema_id", "url", "events", "description", "secret", "active", "created_at") SELECT "id", "cinema_id", "url", "events", "description", "secret", "active", "created_at" FROM "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`ALTER TABLE "temporary_webhook_endpoints" RENAME TO "webhook_endpoints"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_cinema" ON "webhook_endpoints" ("cinema_id", "id") `);
    await queryRunner.query(`DROP INDEX "uq_notification_deliveries_route"`);
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_endpoint"`);
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_due"`);
    await queryRunner.query(`CREATE TABLE "temporary_notification_deliveries" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_row_id" integer NOT NULL, "channel" varchar(8) NOT NULL, "endpoint_id" integer, "recipient" varchar(255), "status" varchar(12) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "last_status_code" integer, "last_error" varchar(255), "next_attempt_at" datetime(3), "claim_token" varchar(32), "delivered_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_1c05864109a0e4eea67b968be85" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_notification_deliveries"("id", "event_row_id", "channel", "endpoint_id", "recipient", "status", "attempts", "last_status_code", "last_error", "next_attempt_at", "claim_token", "delivered_at", "created_at") SELECT "id", "event_row_id", "channel", "endpoint_id", "recipient", "status", "attempts", "last_status_code", "last_error", "next_attempt_at", "claim_token", "delivered_at", "created_at" FROM "notification_deliveries"`);
    await queryRunner.query(`DROP TABLE "notification_deliveries"`);
    await queryRunner.query(`ALTER TABLE "temporary_notification_deliveries" RENAME TO "notification_deliveries"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_route" ON "notification_deliveries" ("event_row_id", "channel", "endpoint_id") `);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_endpoint" ON "notification_deliveries" ("endpoint_id", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_due" ON "notification_deliveries" ("status", "next_attempt_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_endpoint"`);
    await queryRunner.query(`DROP INDEX "uq_notification_deliveries_route"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" RENAME TO "temporary_notification_deliveries"`);
    await queryRunner.query(`CREATE TABLE "notification_deliveries" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_row_id" integer NOT NULL, "channel" varchar(8) NOT NULL, "endpoint_id" integer, "recipient" varchar(255), "status" varchar(12) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "last_status_code" integer, "last_error" varchar(255), "next_attempt_at" datetime(3), "claim_token" varchar(32), "delivered_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "notification_deliveries"("id", "event_row_id", "channel", "endpoint_id", "recipient", "status", "attempts", "last_status_code", "last_error", "next_attempt_at", "claim_token", "delivered_at", "created_at") SELECT "id", "event_row_id", "channel", "endpoint_id", "recipient", "status", "attempts", "last_status_code", "last_error", "next_attempt_at", "claim_token", "delivered_at", "created_at" FROM "temporary_notification_deliveries"`);
    await queryRunner.query(`DROP TABLE "temporary_notification_deliveries"`);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_due" ON "notification_deliveries" ("status", "next_attempt_at") `);
    await queryRunner.query(`CREATE INDEX "ix_notification_deliveries_endpoint" ON "notification_deliveries" ("endpoint_id", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_route" ON "notification_deliveries" ("event_row_id", "channel", "endpoint_id") `);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_cinema"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" RENAME TO "temporary_webhook_endpoints"`);
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "url" varchar(2048) NOT NULL, "events" text NOT NULL, "description" varchar(200), "secret" varchar(80) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "webhook_endpoints"("id", "cinema_id", "url", "events", "description", "secret", "active", "created_at") SELECT "id", "cinema_id", "url", "events", "description", "secret", "active", "created_at" FROM "temporary_webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "temporary_webhook_endpoints"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_cinema" ON "webhook_endpoints" ("cinema_id", "id") `);
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_due"`);
    await queryRunner.query(`DROP INDEX "ix_notification_deliveries_endpoint"`);
    await queryRunner.query(`DROP INDEX "uq_notification_deliveries_route"`);
    await queryRunner.query(`DROP TABLE "notification_deliveries"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_cinema"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP INDEX "ix_outbox_events_unrouted"`);
    await queryRunner.query(`DROP INDEX "uq_outbox_events_event_id"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
  }
}
