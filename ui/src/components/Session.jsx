import { useEffect, useState } from "preact/hooks";

/**
 * Who is signed in, and a "Sign out" button, when the server has auth on (nothing with auth
 * off). Signing out is a same-origin JSON POST to `logout`, which clears the session cookie
 * after the same CSRF checks as any cookie POST; the browser then goes to the login page.
 */
export function Session() {
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    fetch(pageUrl("session"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then(setMe, () => setMe(null));
  }, []);
  if (!me?.auth) return null;
  const signOut = async () => {
    setError(null);
    try {
      const r = await fetch(pageUrl("logout"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: "{}",
      });
      const body = await r.json();
      if (!r.ok) throw new Error(body.errors?.[0]?.message ?? `the server answered ${r.status}`);
      window.location.href = new URL(body.login, window.location.href).toString();
    } catch (e) {
      setError(`Sign out failed: ${e.message}`);
    }
  };
  return (
    <div class="session" data-testid="session">
      <span class="who" title={`signed in as ${me.user} (${me.role})`}>
        {me.user} <span class="role">{me.role}</span>
      </span>
      <button onClick={signOut}>Sign out</button>
      {error && <div class="error">{error}</div>}
    </div>
  );
}

// Relative to the page (not the #route), so a --path-prefix deployment works unchanged.
function pageUrl(path) {
  return new URL(path, window.location.href.split("#")[0]).toString();
}
