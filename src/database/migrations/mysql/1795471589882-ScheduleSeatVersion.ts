import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduleSeatVersionMysql1795471589882 implements MigrationInterface {
  name = 'ScheduleSeatVersionMysql1795471589882';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`schedules\` ADD \`seat_version\` int NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`schedules\` DROP COLUMN \`seat_version\``);
  }
}
