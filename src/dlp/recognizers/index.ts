import type { Recognizer } from '../types.js';
import { address } from './address.js';
import { cnLicensePlate, cnUscc, passport } from './ids.js';
import { email, ipv4, ipv6 } from './network.js';
import { bankCard, cnIdCard, cnMobile, phone } from './numbers.js';
import { person } from './person.js';
import { secretRecognizers } from './secrets.js';

/** Every built-in recognizer, in a fixed order (order does not affect results; overlap resolution is by score). */
export const builtinRecognizers: readonly Recognizer[] = [cnIdCard, bankCard, cnMobile, phone, cnUscc, passport, cnLicensePlate, email, ipv4, ipv6, ...secretRecognizers, person, address];
