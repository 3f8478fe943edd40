// Labelling area: signed-in people only (admins may label too).
import { SignedInShell } from "../_components/signed-in-shell";

export const dynamic = "force-dynamic";

export default function LabelLayout({ children }: { children: React.ReactNode }) {
  return <SignedInShell>{() => children}</SignedInShell>;
}
