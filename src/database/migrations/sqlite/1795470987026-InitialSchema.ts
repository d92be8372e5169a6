import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1795470987026 implements MigrationInterface {
  name = 'InitialSchemaSqlite1795470987026';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(20) NOT NULL, "name_key" varchar(20) NOT NULL, "phone" varchar(20), "email" varchar(254), "password_hash" varchar(255) NOT NULL, "nickname" varchar(40), "gender" varchar(8) NOT NULL DEFAULT ('unknown'), "role" varchar(16) NOT NULL DEFAULT ('customer'), "avatar_url" varchar(255), "disabled" boolean NOT NULL DEFAULT (0), "token_version" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_name_key" ON "users" ("name_key") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_phone" ON "users" ("phone") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "ix_users_role" ON "users" ("role") `);
    await queryRunner.query(
      `CREATE TABLE "cinemas" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "city" varchar(50) NOT NULL, "address" varchar(200) NOT NULL, "owner_id" integer, "status" varchar(16) NOT NULL DEFAULT ('active'), "logo_url" varchar(255), "tel" varchar(30), "website" varchar(255), "description" text, "contact_name" varchar(50), "contact_phone" varchar(20), "payment_account" varchar(100), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cinemas_city" ON "cinemas" ("city") `);
    await queryRunner.query(`CREATE INDEX "ix_cinemas_owner" ON "cinemas" ("owner_id") `);
    await queryRunner.query(
      `CREATE TABLE "movies" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(200) NOT NULL, "director" varchar(100) NOT NULL, "actors" text NOT NULL, "duration_minutes" integer NOT NULL, "poster_url" varchar(500) NOT NULL, "description" text NOT NULL, "release_date" varchar(10) NOT NULL, "off_date" varchar(10), "genres" text NOT NULL, "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_movies_release_date" ON "movies" ("release_date") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_movies_title_release" ON "movies" ("title", "release_date") `);
    await queryRunner.query(
      `CREATE TABLE "halls" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "name" varchar(80) NOT NULL, "rows" integer NOT NULL, "cols" integer NOT NULL, "disabled_seats" text NOT NULL, "seat_count" integer NOT NULL, "description" varchar(500), "deleted_at" datetime(3), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_halls_cinema_name" ON "halls" ("cinema_id", "name") `);
    await queryRunner.query(
      `CREATE TABLE "schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "movie_id" integer NOT NULL, "hall_id" integer NOT NULL, "cinema_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "show_date" varchar(10) NOT NULL, "price_cents" integer NOT NULL, "seat_count" integer NOT NULL, "sold_count" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_schedules_starts_at" ON "schedules" ("starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_show_date" ON "schedules" ("show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_movie_start" ON "schedules" ("movie_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_cinema_day" ON "schedules" ("cinema_id", "show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_hall_start" ON "schedules" ("hall_id", "starts_at") `);
    await queryRunner.query(
      `CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "schedule_id" integer NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('pending'), "seats" text NOT NULL, "unit_price_cents" integer NOT NULL, "amount_cents" integer NOT NULL, "expires_at" datetime(3) NOT NULL, "paid_at" datetime(3), "payment_channel" varchar(16), "ticket_code" varchar(16), "checked_in_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_orders_ticket_code" ON "orders" ("ticket_code") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_status_expires" ON "orders" ("status", "expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_schedule_status" ON "orders" ("schedule_id", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_user_created" ON "orders" ("user_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "seat_claims" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "schedule_id" integer NOT NULL, "seat_row" integer NOT NULL, "seat_col" integer NOT NULL, "order_id" integer NOT NULL, "user_id" integer NOT NULL, "expires_at" datetime(3))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_order" ON "seat_claims" ("order_id") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_expires_at" ON "seat_claims" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_schedule_user" ON "seat_claims" ("schedule_id", "user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_seat_claims_seat" ON "seat_claims" ("schedule_id", "seat_row", "seat_col") `,
    );
    await queryRunner.query(
      `CREATE TABLE "merchant_applications" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "pending_user_id" integer, "status" varchar(16) NOT NULL DEFAULT ('pending'), "cinema_name" varchar(100) NOT NULL, "city" varchar(50) NOT NULL, "address" varchar(200) NOT NULL, "legal_person" varchar(50) NOT NULL, "contact_name" varchar(50) NOT NULL, "contact_phone" varchar(20) NOT NULL, "email" varchar(254), "website" varchar(255), "tax_certificate_url" varchar(255), "description" text, "reject_reason" varchar(500), "cinema_id" integer, "created_at" datetime(3) NOT NULL, "reviewed_at" datetime(3))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_applications_user" ON "merchant_applications" ("user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_applications_pending_user" ON "merchant_applications" ("pending_user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_applications_status" ON "merchant_applications" ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "verification_codes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "target" varchar(254) NOT NULL, "purpose" varchar(16) NOT NULL, "code_hash" varchar(64) NOT NULL, "expires_at" datetime(3) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "used" boolean NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_codes_target_purpose" ON "verification_codes" ("target", "purpose", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "revoked_tokens" ("token_id" varchar(36) PRIMARY KEY NOT NULL, "user_id" integer NOT NULL, "expires_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_revoked_tokens_expires_at" ON "revoked_tokens" ("expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "code_targets" ("target" varchar(254) PRIMARY KEY NOT NULL, "last_sent_at" datetime(3) NOT NULL, "day" varchar(10) NOT NULL, "sent_today" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `CREATE TABLE "captchas" ("id" varchar(36) PRIMARY KEY NOT NULL, "answer_hash" varchar(64) NOT NULL, "expires_at" datetime(3) NOT NULL, "verify_count" integer NOT NULL DEFAULT (0), "used" boolean NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_captchas_expires_at" ON "captchas" ("expires_at") `);
    await queryRunner.query(`DROP INDEX "uq_halls_cinema_name"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_halls" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "name" varchar(80) NOT NULL, "rows" integer NOT NULL, "cols" integer NOT NULL, "disabled_seats" text NOT NULL, "seat_count" integer NOT NULL, "description" varchar(500), "deleted_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_95c55379050706b8bffbf0a561d" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_halls"("id", "cinema_id", "name", "rows", "cols", "disabled_seats", "seat_count", "description", "deleted_at", "created_at") SELECT "id", "cinema_id", "name", "rows", "cols", "disabled_seats", "seat_count", "description", "deleted_at", "created_at" FROM "halls"`,
    );
    await queryRunner.query(`DROP TABLE "halls"`);
    await queryRunner.query(`ALTER TABLE "temporary_halls" RENAME TO "halls"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_halls_cinema_name" ON "halls" ("cinema_id", "name") `);
    await queryRunner.query(`DROP INDEX "ix_schedules_starts_at"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_show_date"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_movie_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_cinema_day"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_hall_start"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "movie_id" integer NOT NULL, "hall_id" integer NOT NULL, "cinema_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "show_date" varchar(10) NOT NULL, "price_cents" integer NOT NULL, "seat_count" integer NOT NULL, "sold_count" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_f8d354bb51096822df07d8ba710" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_23541254d7e4d885fed5dc8b41b" FOREIGN KEY ("hall_id") REFERENCES "halls" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_a065615fe23679042754a8ee6e8" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_schedules"("id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at") SELECT "id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at" FROM "schedules"`,
    );
    await queryRunner.query(`DROP TABLE "schedules"`);
    await queryRunner.query(`ALTER TABLE "temporary_schedules" RENAME TO "schedules"`);
    await queryRunner.query(`CREATE INDEX "ix_schedules_starts_at" ON "schedules" ("starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_show_date" ON "schedules" ("show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_movie_start" ON "schedules" ("movie_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_cinema_day" ON "schedules" ("cinema_id", "show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_hall_start" ON "schedules" ("hall_id", "starts_at") `);
    await queryRunner.query(`DROP INDEX "uq_orders_ticket_code"`);
    await queryRunner.query(`DROP INDEX "ix_orders_status_expires"`);
    await queryRunner.query(`DROP INDEX "ix_orders_schedule_status"`);
    await queryRunner.query(`DROP INDEX "ix_orders_user_created"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "schedule_id" integer NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('pending'), "seats" text NOT NULL, "unit_price_cents" integer NOT NULL, "amount_cents" integer NOT NULL, "expires_at" datetime(3) NOT NULL, "paid_at" datetime(3), "payment_channel" varchar(16), "ticket_code" varchar(16), "checked_in_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_6f8fb07cd8258592e2720f32c8a" FOREIGN KEY ("schedule_id") REFERENCES "schedules" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_orders"("id", "user_id", "schedule_id", "status", "seats", "unit_price_cents", "amount_cents", "expires_at", "paid_at", "payment_channel", "ticket_code", "checked_in_at", "closed_at", "created_at") SELECT "id", "user_id", "schedule_id", "status", "seats", "unit_price_cents", "amount_cents", "expires_at", "paid_at", "payment_channel", "ticket_code", "checked_in_at", "closed_at", "created_at" FROM "orders"`,
    );
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`ALTER TABLE "temporary_orders" RENAME TO "orders"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_orders_ticket_code" ON "orders" ("ticket_code") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_status_expires" ON "orders" ("status", "expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_schedule_status" ON "orders" ("schedule_id", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_user_created" ON "orders" ("user_id", "created_at") `);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_order"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_expires_at"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_schedule_user"`);
    await queryRunner.query(`DROP INDEX "uq_seat_claims_seat"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_seat_claims" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "schedule_id" integer NOT NULL, "seat_row" integer NOT NULL, "seat_col" integer NOT NULL, "order_id" integer NOT NULL, "user_id" integer NOT NULL, "expires_at" datetime(3), CONSTRAINT "FK_16057e2568265aa1c856d0e00cf" FOREIGN KEY ("schedule_id") REFERENCES "schedules" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_2543b18517d39186c2924283351" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_seat_claims"("id", "schedule_id", "seat_row", "seat_col", "order_id", "user_id", "expires_at") SELECT "id", "schedule_id", "seat_row", "seat_col", "order_id", "user_id", "expires_at" FROM "seat_claims"`,
    );
    await queryRunner.query(`DROP TABLE "seat_claims"`);
    await queryRunner.query(`ALTER TABLE "temporary_seat_claims" RENAME TO "seat_claims"`);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_order" ON "seat_claims" ("order_id") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_expires_at" ON "seat_claims" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_schedule_user" ON "seat_claims" ("schedule_id", "user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_seat_claims_seat" ON "seat_claims" ("schedule_id", "seat_row", "seat_col") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_seat_claims_seat"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_schedule_user"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_expires_at"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_order"`);
    await queryRunner.query(`ALTER TABLE "seat_claims" RENAME TO "temporary_seat_claims"`);
    await queryRunner.query(
      `CREATE TABLE "seat_claims" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "schedule_id" integer NOT NULL, "seat_row" integer NOT NULL, "seat_col" integer NOT NULL, "order_id" integer NOT NULL, "user_id" integer NOT NULL, "expires_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "seat_claims"("id", "schedule_id", "seat_row", "seat_col", "order_id", "user_id", "expires_at") SELECT "id", "schedule_id", "seat_row", "seat_col", "order_id", "user_id", "expires_at" FROM "temporary_seat_claims"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_seat_claims"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_seat_claims_seat" ON "seat_claims" ("schedule_id", "seat_row", "seat_col") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_schedule_user" ON "seat_claims" ("schedule_id", "user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_expires_at" ON "seat_claims" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_seat_claims_order" ON "seat_claims" ("order_id") `);
    await queryRunner.query(`DROP INDEX "ix_orders_user_created"`);
    await queryRunner.query(`DROP INDEX "ix_orders_schedule_status"`);
    await queryRunner.query(`DROP INDEX "ix_orders_status_expires"`);
    await queryRunner.query(`DROP INDEX "uq_orders_ticket_code"`);
    await queryRunner.query(`ALTER TABLE "orders" RENAME TO "temporary_orders"`);
    await queryRunner.query(
      `CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "schedule_id" integer NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('pending'), "seats" text NOT NULL, "unit_price_cents" integer NOT NULL, "amount_cents" integer NOT NULL, "expires_at" datetime(3) NOT NULL, "paid_at" datetime(3), "payment_channel" varchar(16), "ticket_code" varchar(16), "checked_in_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "orders"("id", "user_id", "schedule_id", "status", "seats", "unit_price_cents", "amount_cents", "expires_at", "paid_at", "payment_channel", "ticket_code", "checked_in_at", "closed_at", "created_at") SELECT "id", "user_id", "schedule_id", "status", "seats", "unit_price_cents", "amount_cents", "expires_at", "paid_at", "payment_channel", "ticket_code", "checked_in_at", "closed_at", "created_at" FROM "temporary_orders"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_orders"`);
    await queryRunner.query(`CREATE INDEX "ix_orders_user_created" ON "orders" ("user_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_schedule_status" ON "orders" ("schedule_id", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_orders_status_expires" ON "orders" ("status", "expires_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_orders_ticket_code" ON "orders" ("ticket_code") `);
    await queryRunner.query(`DROP INDEX "ix_schedules_hall_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_cinema_day"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_movie_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_show_date"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_starts_at"`);
    await queryRunner.query(`ALTER TABLE "schedules" RENAME TO "temporary_schedules"`);
    await queryRunner.query(
      `CREATE TABLE "schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "movie_id" integer NOT NULL, "hall_id" integer NOT NULL, "cinema_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "show_date" varchar(10) NOT NULL, "price_cents" integer NOT NULL, "seat_count" integer NOT NULL, "sold_count" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "schedules"("id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at") SELECT "id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at" FROM "temporary_schedules"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_schedules"`);
    await queryRunner.query(`CREATE INDEX "ix_schedules_hall_start" ON "schedules" ("hall_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_cinema_day" ON "schedules" ("cinema_id", "show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_movie_start" ON "schedules" ("movie_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_show_date" ON "schedules" ("show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_starts_at" ON "schedules" ("starts_at") `);
    await queryRunner.query(`DROP INDEX "uq_halls_cinema_name"`);
    await queryRunner.query(`ALTER TABLE "halls" RENAME TO "temporary_halls"`);
    await queryRunner.query(
      `CREATE TABLE "halls" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cinema_id" integer NOT NULL, "name" varchar(80) NOT NULL, "rows" integer NOT NULL, "cols" integer NOT NULL, "disabled_seats" text NOT NULL, "seat_count" integer NOT NULL, "description" varchar(500), "deleted_at" datetime(3), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "halls"("id", "cinema_id", "name", "rows", "cols", "disabled_seats", "seat_count", "description", "deleted_at", "created_at") SELECT "id", "cinema_id", "name", "rows", "cols", "disabled_seats", "seat_count", "description", "deleted_at", "created_at" FROM "temporary_halls"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_halls"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_halls_cinema_name" ON "halls" ("cinema_id", "name") `);
    await queryRunner.query(`DROP INDEX "ix_captchas_expires_at"`);
    await queryRunner.query(`DROP TABLE "captchas"`);
    await queryRunner.query(`DROP TABLE "code_targets"`);
    await queryRunner.query(`DROP INDEX "ix_revoked_tokens_expires_at"`);
    await queryRunner.query(`DROP TABLE "revoked_tokens"`);
    await queryRunner.query(`DROP INDEX "ix_codes_target_purpose"`);
    await queryRunner.query(`DROP TABLE "verification_codes"`);
    await queryRunner.query(`DROP INDEX "ix_applications_status"`);
    await queryRunner.query(`DROP INDEX "uq_applications_pending_user"`);
    await queryRunner.query(`DROP INDEX "ix_applications_user"`);
    await queryRunner.query(`DROP TABLE "merchant_applications"`);
    await queryRunner.query(`DROP INDEX "uq_seat_claims_seat"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_schedule_user"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_expires_at"`);
    await queryRunner.query(`DROP INDEX "ix_seat_claims_order"`);
    await queryRunner.query(`DROP TABLE "seat_claims"`);
    await queryRunner.query(`DROP INDEX "ix_orders_user_created"`);
    await queryRunner.query(`DROP INDEX "ix_orders_schedule_status"`);
    await queryRunner.query(`DROP INDEX "ix_orders_status_expires"`);
    await queryRunner.query(`DROP INDEX "uq_orders_ticket_code"`);
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_hall_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_cinema_day"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_movie_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_show_date"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_starts_at"`);
    await queryRunner.query(`DROP TABLE "schedules"`);
    await queryRunner.query(`DROP INDEX "uq_halls_cinema_name"`);
    await queryRunner.query(`DROP TABLE "halls"`);
    await queryRunner.query(`DROP INDEX "uq_movies_title_release"`);
    await queryRunner.query(`DROP INDEX "ix_movies_release_date"`);
    await queryRunner.query(`DROP TABLE "movies"`);
    await queryRunner.query(`DROP INDEX "ix_cinemas_owner"`);
    await queryRunner.query(`DROP INDEX "ix_cinemas_city"`);
    await queryRunner.query(`DROP TABLE "cinemas"`);
    await queryRunner.query(`DROP INDEX "ix_users_role"`);
    await queryRunner.query(`DROP INDEX "uq_users_email"`);
    await queryRunner.query(`DROP INDEX "uq_users_phone"`);
    await queryRunner.query(`DROP INDEX "uq_users_name_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
