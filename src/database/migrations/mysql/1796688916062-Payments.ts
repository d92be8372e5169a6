import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentsMysql1796688916062 implements MigrationInterface {
  name = 'PaymentsMysql1796688916062';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`payments\` (\`id\` int NOT NULL AUTO_INCREMENT, \`order_id\` int NOT NULL, \`channel\` varchar(16) NOT NULL, \`method\` varchar(8) NOT NULL, \`status\` varchar(16) NOT NULL, \`amount_cents\` int NOT NULL, \`out_trade_no\` varchar(32) NOT NULL, \`open_slot\` varchar(24) NULL, \`provider_trade_no\` varchar(64) NULL, \`qr_code\` varchar(255) NULL, \`app_params\` text NULL, \`expires_at\` datetime(3) NOT NULL, \`paid_at\` datetime(3) NULL, \`closed_at\` datetime(3) NULL, \`refunded_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_payments_out_trade_no\` (\`out_trade_no\`), UNIQUE INDEX \`uq_payments_open_slot\` (\`order_id\`, \`open_slot\`), INDEX \`ix_payments_status_expires\` (\`status\`, \`expires_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`payment_refunds\` (\`id\` int NOT NULL AUTO_INCREMENT, \`payment_id\` int NOT NULL, \`refund_no\` varchar(64) NOT NULL, \`amount_cents\` int NOT NULL, \`status\` varchar(16) NOT NULL, \`reason\` varchar(255) NOT NULL, \`refunded_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_payment_refunds_payment\` (\`payment_id\`), UNIQUE INDEX \`uq_payment_refunds_refund_no\` (\`refund_no\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`payment_refunds\` ADD CONSTRAINT \`FK_a10d6c1918989353b79932a2bad\` FOREIGN KEY (\`payment_id\`) REFERENCES \`payments\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`payment_refunds\` DROP FOREIGN KEY \`FK_a10d6c1918989353b79932a2bad\``);
    await queryRunner.query(`DROP INDEX \`uq_payment_refunds_refund_no\` ON \`payment_refunds\``);
    await queryRunner.query(`DROP INDEX \`uq_payment_refunds_payment\` ON \`payment_refunds\``);
    await queryRunner.query(`DROP TABLE \`payment_refunds\``);
    await queryRunner.query(`DROP INDEX \`ix_payments_status_expires\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`uq_payments_open_slot\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`uq_payments_out_trade_no\` ON \`payments\``);
    await queryRunner.query(`DROP TABLE \`payments\``);
  }
}
