import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaMysql1795470987026 implements MigrationInterface {
  name = 'InitialSchemaMysql1795470987026';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`users\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(20) NOT NULL, \`name_key\` varchar(20) NOT NULL, \`phone\` varchar(20) NULL, \`email\` varchar(254) NULL, \`password_hash\` varchar(255) NOT NULL, \`nickname\` varchar(40) NULL, \`gender\` varchar(8) NOT NULL DEFAULT 'unknown', \`role\` varchar(16) NOT NULL DEFAULT 'customer', \`avatar_url\` varchar(255) NULL, \`disabled\` tinyint NOT NULL DEFAULT 0, \`token_version\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_users_name_key\` (\`name_key\`), UNIQUE INDEX \`uq_users_phone\` (\`phone\`), UNIQUE INDEX \`uq_users_email\` (\`email\`), INDEX \`ix_users_role\` (\`role\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`cinemas\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`city\` varchar(50) NOT NULL, \`address\` varchar(200) NOT NULL, \`owner_id\` int NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`logo_url\` varchar(255) NULL, \`tel\` varchar(30) NULL, \`website\` varchar(255) NULL, \`description\` text NULL, \`contact_name\` varchar(50) NULL, \`contact_phone\` varchar(20) NULL, \`payment_account\` varchar(100) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_cinemas_city\` (\`city\`), INDEX \`ix_cinemas_owner\` (\`owner_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`movies\` (\`id\` int NOT NULL AUTO_INCREMENT, \`title\` varchar(200) NOT NULL, \`director\` varchar(100) NOT NULL, \`actors\` text NOT NULL, \`duration_minutes\` int NOT NULL, \`poster_url\` varchar(500) NOT NULL, \`description\` text NOT NULL, \`release_date\` varchar(10) NOT NULL, \`off_date\` varchar(10) NULL, \`genres\` text NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_movies_release_date\` (\`release_date\`), UNIQUE INDEX \`uq_movies_title_release\` (\`title\`, \`release_date\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`halls\` (\`id\` int NOT NULL AUTO_INCREMENT, \`cinema_id\` int NOT NULL, \`name\` varchar(80) NOT NULL, \`rows\` int NOT NULL, \`cols\` int NOT NULL, \`disabled_seats\` text NOT NULL, \`seat_count\` int NOT NULL, \`description\` varchar(500) NULL, \`deleted_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_halls_cinema_name\` (\`cinema_id\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`schedules\` (\`id\` int NOT NULL AUTO_INCREMENT, \`movie_id\` int NOT NULL, \`hall_id\` int NOT NULL, \`cinema_id\` int NOT NULL, \`starts_at\` datetime(3) NOT NULL, \`ends_at\` datetime(3) NOT NULL, \`show_date\` varchar(10) NOT NULL, \`price_cents\` int NOT NULL, \`seat_count\` int NOT NULL, \`sold_count\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, INDEX \`ix_schedules_starts_at\` (\`starts_at\`), INDEX \`ix_schedules_show_date\` (\`show_date\`), INDEX \`ix_schedules_movie_start\` (\`movie_id\`, \`starts_at\`), INDEX \`ix_schedules_cinema_day\` (\`cinema_id\`, \`show_date\`), INDEX \`ix_schedules_hall_start\` (\`hall_id\`, \`starts_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`orders\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`schedule_id\` int NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'pending', \`seats\` text NOT NULL, \`unit_price_cents\` int NOT NULL, \`amount_cents\` int NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`paid_at\` datetime(3) NULL, \`payment_channel\` varchar(16) NULL, \`ticket_code\` varchar(16) NULL, \`checked_in_at\` datetime(3) NULL, \`closed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_orders_ticket_code\` (\`ticket_code\`), INDEX \`ix_orders_status_expires\` (\`status\`, \`expires_at\`), INDEX \`ix_orders_schedule_status\` (\`schedule_id\`, \`status\`), INDEX \`ix_orders_user_created\` (\`user_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`seat_claims\` (\`id\` int NOT NULL AUTO_INCREMENT, \`schedule_id\` int NOT NULL, \`seat_row\` int NOT NULL, \`seat_col\` int NOT NULL, \`order_id\` int NOT NULL, \`user_id\` int NOT NULL, \`expires_at\` datetime(3) NULL, INDEX \`ix_seat_claims_order\` (\`order_id\`), INDEX \`ix_seat_claims_expires_at\` (\`expires_at\`), INDEX \`ix_seat_claims_schedule_user\` (\`schedule_id\`, \`user_id\`), UNIQUE INDEX \`uq_seat_claims_seat\` (\`schedule_id\`, \`seat_row\`, \`seat_col\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`merchant_applications\` (\`id\` int NOT NULL AUTO_INCREMENT, \`user_id\` int NOT NULL, \`pending_user_id\` int NULL, \`status\` varchar(16) NOT NULL DEFAULT 'pending', \`cinema_name\` varchar(100) NOT NULL, \`city\` varchar(50) NOT NULL, \`address\` varchar(200) NOT NULL, \`legal_person\` varchar(50) NOT NULL, \`contact_name\` varchar(50) NOT NULL, \`contact_phone\` varchar(20) NOT NULL, \`email\` varchar(254) NULL, \`website\` varchar(255) NULL, \`tax_certificate_url\` varchar(255) NULL, \`description\` text NULL, \`reject_reason\` varchar(500) NULL, \`cinema_id\` int NULL, \`created_at\` datetime(3) NOT NULL, \`reviewed_at\` datetime(3) NULL, INDEX \`ix_applications_user\` (\`user_id\`), UNIQUE INDEX \`uq_applications_pending_user\` (\`pending_user_id\`), INDEX \`ix_applications_status\` (\`status\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`verification_codes\` (\`id\` int NOT NULL AUTO_INCREMENT, \`target\` varchar(254) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`code_hash\` varchar(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`used\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_codes_target_purpose\` (\`target\`, \`purpose\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`revoked_tokens\` (\`token_id\` varchar(36) NOT NULL, \`user_id\` int NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`ix_revoked_tokens_expires_at\` (\`expires_at\`), PRIMARY KEY (\`token_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`code_targets\` (\`target\` varchar(254) NOT NULL, \`last_sent_at\` datetime(3) NOT NULL, \`day\` varchar(10) NOT NULL, \`sent_today\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`target\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`captchas\` (\`id\` varchar(36) NOT NULL, \`answer_hash\` varchar(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`verify_count\` int NOT NULL DEFAULT '0', \`used\` tinyint NOT NULL DEFAULT 0, INDEX \`ix_captchas_expires_at\` (\`expires_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`halls\` ADD CONSTRAINT \`FK_95c55379050706b8bffbf0a561d\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`schedules\` ADD CONSTRAINT \`FK_f8d354bb51096822df07d8ba710\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`schedules\` ADD CONSTRAINT \`FK_23541254d7e4d885fed5dc8b41b\` FOREIGN KEY (\`hall_id\`) REFERENCES \`halls\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`schedules\` ADD CONSTRAINT \`FK_a065615fe23679042754a8ee6e8\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`orders\` ADD CONSTRAINT \`FK_6f8fb07cd8258592e2720f32c8a\` FOREIGN KEY (\`schedule_id\`) REFERENCES \`schedules\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`seat_claims\` ADD CONSTRAINT \`FK_16057e2568265aa1c856d0e00cf\` FOREIGN KEY (\`schedule_id\`) REFERENCES \`schedules\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`seat_claims\` ADD CONSTRAINT \`FK_2543b18517d39186c2924283351\` FOREIGN KEY (\`order_id\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`seat_claims\` DROP FOREIGN KEY \`FK_2543b18517d39186c2924283351\``);
    await queryRunner.query(`ALTER TABLE \`seat_claims\` DROP FOREIGN KEY \`FK_16057e2568265aa1c856d0e00cf\``);
    await queryRunner.query(`ALTER TABLE \`orders\` DROP FOREIGN KEY \`FK_6f8fb07cd8258592e2720f32c8a\``);
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP FOREIGN KEY \`FK_a065615fe23679042754a8ee6e8\``);
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP FOREIGN KEY \`FK_23541254d7e4d885fed5dc8b41b\``);
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP FOREIGN KEY \`FK_f8d354bb51096822df07d8ba710\``);
    await queryRunner.query(`ALTER TABLE \`halls\` DROP FOREIGN KEY \`FK_95c55379050706b8bffbf0a561d\``);
    await queryRunner.query(`DROP INDEX \`ix_captchas_expires_at\` ON \`captchas\``);
    await queryRunner.query(`DROP TABLE \`captchas\``);
    await queryRunner.query(`DROP TABLE \`code_targets\``);
    await queryRunner.query(`DROP INDEX \`ix_revoked_tokens_expires_at\` ON \`revoked_tokens\``);
    await queryRunner.query(`DROP TABLE \`revoked_tokens\``);
    await queryRunner.query(`DROP INDEX \`ix_codes_target_purpose\` ON \`verification_codes\``);
    await queryRunner.query(`DROP TABLE \`verification_codes\``);
    await queryRunner.query(`DROP INDEX \`ix_applications_status\` ON \`merchant_applications\``);
    await queryRunner.query(`DROP INDEX \`uq_applications_pending_user\` ON \`merchant_applications\``);
    await queryRunner.query(`DROP INDEX \`ix_applications_user\` ON \`merchant_applications\``);
    await queryRunner.query(`DROP TABLE \`merchant_applications\``);
    await queryRunner.query(`DROP INDEX \`uq_seat_claims_seat\` ON \`seat_claims\``);
    await queryRunner.query(`DROP INDEX \`ix_seat_claims_schedule_user\` ON \`seat_claims\``);
    await queryRunner.query(`DROP INDEX \`ix_seat_claims_expires_at\` ON \`seat_claims\``);
    await queryRunner.query(`DROP INDEX \`ix_seat_claims_order\` ON \`seat_claims\``);
    await queryRunner.query(`DROP TABLE \`seat_claims\``);
    await queryRunner.query(`DROP INDEX \`ix_orders_user_created\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`ix_orders_schedule_status\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`ix_orders_status_expires\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`uq_orders_ticket_code\` ON \`orders\``);
    await queryRunner.query(`DROP TABLE \`orders\``);
    await queryRunner.query(`DROP INDEX \`ix_schedules_hall_start\` ON \`schedules\``);
    await queryRunner.query(`DROP INDEX \`ix_schedules_cinema_day\` ON \`schedules\``);
    await queryRunner.query(`DROP INDEX \`ix_schedules_movie_start\` ON \`schedules\``);
    await queryRunner.query(`DROP INDEX \`ix_schedules_show_date\` ON \`schedules\``);
    await queryRunner.query(`DROP INDEX \`ix_schedules_starts_at\` ON \`schedules\``);
    await queryRunner.query(`DROP TABLE \`schedules\``);
    await queryRunner.query(`DROP INDEX \`uq_halls_cinema_name\` ON \`halls\``);
    await queryRunner.query(`DROP TABLE \`halls\``);
    await queryRunner.query(`DROP INDEX \`uq_movies_title_release\` ON \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_movies_release_date\` ON \`movies\``);
    await queryRunner.query(`DROP TABLE \`movies\``);
    await queryRunner.query(`DROP INDEX \`ix_cinemas_owner\` ON \`cinemas\``);
    await queryRunner.query(`DROP INDEX \`ix_cinemas_city\` ON \`cinemas\``);
    await queryRunner.query(`DROP TABLE \`cinemas\``);
    await queryRunner.query(`DROP INDEX \`ix_users_role\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_email\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_phone\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_name_key\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
  }
}
