// Account settings: any signed-in person.
import { SignedInShell } from "../_components/signed-in-shell";

export const dynamic = "force-dynamic";

export default function AccountLayout({ children }: { children: React.ReactNode }) {
  return <SignedInShell>{() => children}</SignedInShell>;
}
