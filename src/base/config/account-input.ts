/** The account shape of configuration (a users file, the demo users), without I/O so the MSW handlers can import it. */

/** A user as configuration gives it: the password in clear, hashed by auth/accounts.ts at start. */
export interface AccountInput {
  readonly username: string;
  readonly password: string;
  readonly userName?: string;
}
