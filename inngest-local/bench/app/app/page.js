export default function Page() {
  return <p>inngest-local bench app: POST /api/inngest</p>;
}
