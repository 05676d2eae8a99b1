/** Who is calling: a row of `users` and the roles casbin grants it. Holds nothing secret, so it is also what /auth/me shows. */
export interface Principal {
  id: string;
  username: string;
  name: string;
  kind: 'person' | 'enterprise' | 'staff';
  department: string | null;
  roles: string[];
  idNumber: string | null;
  uscc: string | null;
}

export type PublicUser = Principal;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
