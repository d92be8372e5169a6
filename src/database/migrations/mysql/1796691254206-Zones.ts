import { MigrationInterface, QueryRunner } from 'typeorm';

export class ZonesMysql1796691254206 implements MigrationInterface {
  name = 'ZonesMysql1796691254206';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`vouchers\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`cinema_id\` int NULL, \`movie_id\` int NULL, \`kind\` varchar(8) NOT NULL, \`value\` int NOT NULL, \`max_uses\` int NOT NULL, \`per_user_max_uses\` int NOT NULL, \`min_seats\` int NOT NULL, \`valid_from\` datetime(3) NULL, \`valid_to\` datetime(3) NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`use_version\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_vouchers_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`cinemas\` ADD \`no_single_seat_gap\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`halls\` ADD \`zones\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`halls\` ADD \`couples\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`schedules\` ADD \`zone_prices\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`schedules\` ADD \`ticket_types\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`orders\` ADD \`discount_cents\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`orders\` ADD \`voucher_id\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`orders\` ADD \`voucher_code\` varchar(32) NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_orders_voucher_user\` ON \`orders\` (\`voucher_id\`, \`user_id\`)`);
    await queryRunner.query(`ALTER TABLE \`vouchers\` ADD CONSTRAINT \`FK_f98b304fb8f53f53ae0a2718823\` FOREIGN KEY (\`cinema_id\`) REFERENCES \`cinemas\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`vouchers\` ADD CONSTRAINT \`FK_dacb94d23027394f5cc979d7d8a\` FOREIGN KEY (\`movie_id\`) REFERENCES \`movies\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`orders\` ADD CONSTRAINT \`FK_3478da368b5a2f4b7690f44f711\` FOREIGN KEY (\`voucher_id\`) REFERENCES \`vouchers\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`orders\` DROP FOREIGN KEY \`FK_3478da368b5a2f4b7690f44f711\``);
    await queryRunner.query(`ALTER TABLE \`vouchers\` DROP FOREIGN KEY \`FK_dacb94d23027394f5cc979d7d8a\``);
    await queryRunner.query(`ALTER TABLE \`vouchers\` DROP FOREIGN KEY \`FK_f98b304fb8f53f53ae0a2718823\``);
    await queryRunner.query(`DROP INDEX \`ix_orders_voucher_user\` ON \`orders\``);
    await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`voucher_code\``);
    await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`voucher_id\``);
    await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`discount_cents\``);
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP COLUMN \`ticket_types\``);
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP COLUMN \`zone_prices\``);
    await queryRunner.query(`ALTER TABLE \`halls\` DROP COLUMN \`couples\``);
    await queryRunner.query(`ALTER TABLE \`halls\` DROP COLUMN \`zones\``);
    await queryRunner.query(`ALTER TABLE \`cinemas\` DROP COLUMN \`no_single_seat_gap\``);
    await queryRunner.query(`DROP INDEX \`uq_vouchers_code\` ON \`vouchers\``);
    await queryRunner.query(`DROP TABLE \`vouchers\``);
  }
}
