/* ------------------------------------------------------------------ leads [assumed] */

export interface Money {
	value: number; // minor units (cents)
	currency: 'EUR';
}

export interface LeadAddress {
	street?: string;
	postalCode?: string;
	city?: string;
	country?: string; // ISO 3166-1 alpha-2
}

export interface LeadCompany {
	name: string;
	tradeName?: string;
	legalForm?: string;
	country: string; // ISO 3166-1 alpha-2, one of COUNTRIES
	industry: string; // one of INDUSTRIES
	website?: string;
	vatId?: string;
	nationalRegisterId?: string;
	nationalRegisterCourt?: string;
	numberOfEmployees?: number;
	expectedMonthlySpend?: Money;
	address?: LeadAddress;
}

export interface LeadContactPerson {
	firstName: string;
	lastName: string;
	email: string;
	phoneNumber?: string;
	role?: string;
	isPrimary?: boolean;
}

export interface LeadRequest {
	partnerOrganizationId: string;
	company: LeadCompany;
	contactPersons?: LeadContactPerson[];
	demoConductedByPartner?: boolean;
	notes?: string;
}

export interface LeadResponse {
	leadId: string;
	partnerOrganizationId: string;
	status: string; // 'RECEIVED' on creation
	createdAt: string;
}

export const LEAD_LIMITS = {
	tradeNameMaxLength: 20, // cards are embossed with it [doc]
} as const;

export const CURRENCY = 'EUR' as const;
