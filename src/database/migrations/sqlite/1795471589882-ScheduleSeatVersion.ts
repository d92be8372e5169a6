import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduleSeatVersionSqlite1795471589882 implements MigrationInterface {
  name = 'ScheduleSeatVersionSqlite1795471589882';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_schedules_hall_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_cinema_day"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_movie_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_show_date"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_starts_at"`);
    await queryRunner.query(`CREATE TABLE "temporary_schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "movie_id" integer NOT NULL, "hall_id" integer NOT NULL, "cinema_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "show_date" varchar(10) NOT NULL, "price_cents" integer NOT NULL, "seat_count" integer NOT NULL, "sold_count" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "seat_version" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_a065615fe23679042754a8ee6e8" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_23541254d7e4d885fed5dc8b41b" FOREIGN KEY ("hall_id") REFERENCES "halls" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f8d354bb51096822df07d8ba710" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_schedules"("id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at") SELECT "id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at" FROM "schedules"`);
    await queryRunner.query(`DROP TABLE "schedules"`);
    await queryRunner.query(`ALTER TABLE "temporary_schedules" RENAME TO "schedules"`);
    await queryRunner.query(`CREATE INDEX "ix_schedules_hall_start" ON "schedules" ("hall_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_cinema_day" ON "schedules" ("cinema_id", "show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_movie_start" ON "schedules" ("movie_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_show_date" ON "schedules" ("show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_starts_at" ON "schedules" ("starts_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_schedules_starts_at"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_show_date"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_movie_start"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_cinema_day"`);
    await queryRunner.query(`DROP INDEX "ix_schedules_hall_start"`);
    await queryRunner.query(`ALTER TABLE "schedules" RENAME TO "temporary_schedules"`);
    await queryRunner.query(`CREATE TABLE "schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "movie_id" integer NOT NULL, "hall_id" integer NOT NULL, "cinema_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "show_date" varchar(10) NOT NULL, "price_cents" integer NOT NULL, "seat_count" integer NOT NULL, "sold_count" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_a065615fe23679042754a8ee6e8" FOREIGN KEY ("cinema_id") REFERENCES "cinemas" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_23541254d7e4d885fed5dc8b41b" FOREIGN KEY ("hall_id") REFERENCES "halls" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f8d354bb51096822df07d8ba710" FOREIGN KEY ("movie_id") REFERENCES "movies" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "schedules"("id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at") SELECT "id", "movie_id", "hall_id", "cinema_id", "starts_at", "ends_at", "show_date", "price_cents", "seat_count", "sold_count", "created_at" FROM "temporary_schedules"`);
    await queryRunner.query(`DROP TABLE "temporary_schedules"`);
    await queryRunner.query(`CREATE INDEX "ix_schedules_starts_at" ON "schedules" ("starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_show_date" ON "schedules" ("show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_movie_start" ON "schedules" ("movie_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_cinema_day" ON "schedules" ("cinema_id", "show_date") `);
    await queryRunner.query(`CREATE INDEX "ix_schedules_hall_start" ON "schedules" ("hall_id", "starts_at") `);
  }
}
