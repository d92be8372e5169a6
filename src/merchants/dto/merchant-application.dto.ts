import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { HTTP_URL } from '../../catalog/dto/field-rules';
import { Trim } from '../../common/transforms';
import { PHONE_LIKE } from '../../catalog/dto/cinema.dto';
import { PageQueryDto } from '../../common/pagination';
import type { ApplicationStatus, MerchantApplication } from '../entities/merchant-application.entity';

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['pending', 'approved', 'rejected'];

/** The cinema's profile as the applicant declares it; an approval creates the cinema from it. */
export class CreateApplicationDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  cinemaName!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  city!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  address!: string;

  /** the company's legal representative */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  legalPerson!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  contactName!: string;

  @Trim()
  @Matches(PHONE_LIKE, { message: 'contactPhone must be a phone number' })
  @MaxLength(20)
  contactPhone!: string;

  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(255)
  website?: string;

  /** link to a scan of the business licence / tax registration */
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(255)
  taxCertificateUrl?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
}

export class RejectApplicationDto {
  /** told to the applicant */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class ApplicationQueryDto extends PageQueryDto {
  /** every status when absent */
  @ApiProperty({ enum: APPLICATION_STATUSES, required: false })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;
}

export class ApplicationDto {
  id!: number;
  userId!: number;
  @ApiProperty({ enum: APPLICATION_STATUSES })
  status!: ApplicationStatus;
  cinemaName!: string;
  city!: string;
  address!: string;
  legalPerson!: string;
  contactName!: string;
  contactPhone!: string;
  email!: string | null;
  website!: string | null;
  taxCertificateUrl!: string | null;
  description!: string | null;
  /** set when rejected */
  rejectReason!: string | null;
  /** the cinema created on approval */
  cinemaId!: number | null;
  createdAt!: string;
  reviewedAt!: string | null;
}

export function toApplicationDto(a: MerchantApplication): ApplicationDto {
  return {
    id: a.id,
    userId: a.userId,
    status: a.status,
    cinemaName: a.cinemaName,
    city: a.city,
    address: a.address,
    legalPerson: a.legalPerson,
    contactName: a.contactName,
    contactPhone: a.contactPhone,
    email: a.email,
    website: a.website,
    taxCertificateUrl: a.taxCertificateUrl,
    description: a.description,
    rejectReason: a.rejectReason,
    cinemaId: a.cinemaId,
    createdAt: a.createdAt.toISOString(),
    reviewedAt: a.reviewedAt ? a.reviewedAt.toISOString() : null,
  };
}
