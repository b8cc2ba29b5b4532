// Who is signed in: the gateway's bearer token and the claims the console reads from it.
const KEY = "tianmen.token";

export interface Claims {
  sub: string;
  tianmen_role: string;
  jurisdiction?: string | null;
  enterprise_id?: string | null;
  exp: number;
}

export const STAFF = ["city_staff", "county_staff", "township_staff", "inspector", "auditor"];

export function token(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(accessToken: string): void {
  sessionStorage.setItem(KEY, accessToken);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export function claims(): Claims | null {
  const value = token();
  if (!value) return null;
  try {
    const payload = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const decoded = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    return decoded.exp * 1000 > Date.now() ? (decoded as Claims) : null;
  } catch {
    return null;
  }
}

export function isStaff(role: string | undefined): boolean {
  return role !== undefined && STAFF.includes(role);
}

/** Where a role starts after signing in. */
export function home(role: string | undefined): string {
  if (role === "citizen") return "#/citizen";
  if (role === "enterprise") return "#/portal";
  return isStaff(role) ? "#/dashboard" : "#/login";
}
