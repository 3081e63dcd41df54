/**
 * Every kind of invalid lead the package's tests know: what is wrong, the Create Lead
 * parameters that make it so (over fixtures' leadParameters()), and what the message must say
 * (the field named). Used by the validation tests and the Dry Run tests.
 */
import type { IDataObject } from 'n8n-workflow';

const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example' };
const GRACE = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@acme.example' };

const contacts = (...people: IDataObject[]): IDataObject => ({ contactPersons: { contactPerson: people } });
const extra = (fields: IDataObject): IDataObject => ({ additionalFields: fields });
const address = (fields: IDataObject): IDataObject => extra({ address: { addressFields: fields } });

/** [what is wrong, parameter overrides, the message must match this (field named)] */
export const MALFORMED: Array<[string, IDataObject, RegExp]> = [
	// required fields
	['empty company name', { companyName: '' }, /^Company Name is empty/],
	['blank company name', { companyName: '   ' }, /^Company Name is empty/],
	['company name resolved to null', { companyName: null }, /^Company Name is empty/],
	['company name mapped to an object', { companyName: { name: 'Acme' } }, /^Company Name must be text, not object/],
	['company name mapped to a list', { companyName: ['Acme'] }, /^Company Name must be text, not a list/],
	['empty country', { country: '' }, /^Country is empty/],
	['misspelt country', { country: 'Germny' }, /^Country "Germny" is not a country Pliant accepts; did you mean Germany \(DE\)/],
	['country Pliant does not serve', { country: 'China' }, /^Country "China" is not a country Pliant accepts; did you mean /],
	['unsupported country code', { country: 'CN' }, /^Country "CN" is not a country Pliant accepts/],
	['country resolved to null', { country: null }, /^Country is empty/],
	['empty industry', { industry: '' }, /^Industry is empty/],
	['unknown industry', { industry: 'Fintech' }, /^Industry "Fintech" is not an industry Pliant accepts; did you mean /],
	['misspelt industry', { industry: 'Computer Sofware' }, /^Industry "Computer Sofware" is not an industry Pliant accepts; did you mean Computer Software \(COMPUTER_SOFTWARE\)/],
	['empty partner organization ID', { partnerOrganizationId: '' }, /^Partner Organization ID is empty/],
	['partner organization ID mapped to an object', { partnerOrganizationId: { id: 1 } }, /^Partner Organization ID must be text/],
	// contact persons
	['email without @', contacts({ ...ADA, email: 'x' }), /^Invalid email "x" in contact person 1/],
	['email without domain', contacts({ ...ADA, email: 'ada@' }), /^Invalid email "ada@" in contact person 1/],
	['email without local part', contacts({ ...ADA, email: '@acme.example' }), /^Invalid email "@acme.example" in contact person 1/],
	['email without top-level domain', contacts({ ...ADA, email: 'ada@acme' }), /^Invalid email "ada@acme" in contact person 1/],
	['email with a space', contacts({ ...ADA, email: 'ada lovelace@acme.example' }), /^Invalid email "ada lovelace@acme.example" in contact person 1/],
	['email with a display name', contacts({ ...ADA, email: 'Ada <ada@acme.example>' }), /^Invalid email "Ada <ada@acme.example>" in contact person 1/],
	['email with two @', contacts({ ...ADA, email: 'ada@@acme.example' }), /^Invalid email "ada@@acme.example" in contact person 1/],
	['email with two dots in a row', contacts({ ...ADA, email: 'ada..l@acme.example' }), /^Invalid email "ada..l@acme.example" in contact person 1/],
	['second contact person with a bad email', contacts(ADA, { ...GRACE, email: 'grace@acme,example' }), /^Invalid email "grace@acme,example" in contact person 2/],
	['contact person without email', contacts({ ...ADA, email: '' }), /^Email of contact person 1 is empty/],
	['contact person without first name', contacts({ ...ADA, firstName: '' }), /^First Name of contact person 1 is empty/],
	['contact person without last name', contacts(ADA, { ...GRACE, lastName: ' ' }), /^Last Name of contact person 2 is empty/],
	['phone number with letters', contacts({ ...ADA, phoneNumber: 'call me' }), /^Invalid phone number "call me" in contact person 1/],
	['phone number too short', contacts({ ...ADA, phoneNumber: '12' }), /^Invalid phone number "12" in contact person 1/],
	['primary flag that is not a boolean', contacts({ ...ADA, isPrimary: 'yes' }), /^Primary Contact of contact person 1 must be true or false/],
	['two primary contacts', contacts({ ...ADA, isPrimary: true }, { ...GRACE, isPrimary: true }), /^Contact persons 1 and 2 are both marked as primary contact/],
	['two contact persons with one email', contacts(ADA, { ...GRACE, email: 'ADA@acme.example' }), /^Contact persons 1 and 2 have the same email/],
	['contact person mapped to text', { contactPersons: { contactPerson: ['Ada Lovelace'] } }, /^Contact person 1 must be an object/],
	// additional fields
	['trade name of 21 characters', extra({ tradeName: 'A'.repeat(21) }), /^Trade Name "A{21}" has 21 characters, more than the 20 allowed/],
	['long trade name with umlauts', extra({ tradeName: 'Müller & Söhne Kärnten' }), /^Trade Name "Müller & Söhne Kärnten" has 22 characters/],
	['website that is not a URL', extra({ website: 'not a website' }), /^Invalid website URL "not a website"/],
	['website with another scheme', extra({ website: 'ftp://acme.example' }), /^Invalid website URL "ftp:\/\/acme.example"/],
	['website with a password in it', extra({ website: 'https://user:pw@acme.example' }), /^Invalid website URL/],
	['website without a domain', extra({ website: 'localhost' }), /^Invalid website URL "localhost"/],
	['negative number of employees', extra({ numberOfEmployees: -1 }), /^Number of Employees must be a whole number of 0 or more, not "-1"/],
	['fractional number of employees', extra({ numberOfEmployees: 12.5 }), /^Number of Employees must be a whole number of 0 or more, not "12.5"/],
	['number of employees in words', extra({ numberOfEmployees: 'many' }), /^Number of Employees must be a whole number/],
	['number of employees with a separator', extra({ numberOfEmployees: '1,200' }), /^Number of Employees must be a whole number/],
	['negative expected monthly spend', extra({ expectedMonthlySpend: -5 }), /^Expected Monthly Spend \(EUR\) must not be negative, got "-5"/],
	['negative expected monthly spend as text', extra({ expectedMonthlySpend: '-0.01' }), /^Expected Monthly Spend \(EUR\) must not be negative/],
	['expected monthly spend in words', extra({ expectedMonthlySpend: 'a lot' }), /^Expected Monthly Spend \(EUR\) must be a number, not "a lot"/],
	['expected monthly spend in German notation', extra({ expectedMonthlySpend: '1.234,56' }), /^Expected Monthly Spend \(EUR\) must be a number, not "1.234,56"/],
	['expected monthly spend with a currency sign', extra({ expectedMonthlySpend: '€100' }), /^Expected Monthly Spend \(EUR\) must be a number/],
	['expected monthly spend that is NaN', extra({ expectedMonthlySpend: Number.NaN }), /^Expected Monthly Spend \(EUR\) must be a number, not NaN/],
	['expected monthly spend that is infinite', extra({ expectedMonthlySpend: Number.POSITIVE_INFINITY }), /^Expected Monthly Spend \(EUR\) must be a number, not Infinity/],
	['expected monthly spend beyond cents precision', extra({ expectedMonthlySpend: 1e15 }), /^Expected Monthly Spend \(EUR\) is too large/],
	['expected monthly spend that is only a dot', extra({ expectedMonthlySpend: '.' }), /^Expected Monthly Spend \(EUR\) must be a number/],
	['unknown address country', address({ city: 'Cair Paravel', country: 'Narnia' }), /^Address Country "Narnia" is not a country Pliant accepts/],
	['demo flag that is not a boolean', extra({ demoConductedByPartner: 'maybe' }), /^Demo Conducted by Partner must be true or false, not "maybe"/],
	['notes mapped to an object', extra({ notes: { text: 'hi' } }), /^Notes must be text, not object/],
	['VAT ID mapped to a list', extra({ vatId: ['DE1'] }), /^VAT ID must be text, not a list/],
	['street mapped to an object', address({ street: { line1: 'x' } }), /^Street must be text/],
	// options
	['unknown On Duplicate option', { options: { onDuplicate: 'ignore' } }, /^Unknown On Duplicate option "ignore"/],
	['timeout that is not a number', { options: { timeout: 'soon' } }, /^Timeout must be a number of seconds above 0, not "soon"/],
	['negative rate limit wait', { options: { rateLimitWaitMinutes: -1 } }, /^Rate Limit Wait must be a number of minutes of 0 or more, not "-1"/],
];

