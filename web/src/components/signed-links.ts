// Download links (pdfUrl, callRecordsCsvUrl) are signed for 15 minutes. A page left open in a tab
// asks for fresh ones when the person comes back to it, once its links are 10 minutes old. Not on
// a timer: requests from a tab nobody looks at would keep an idle session alive.
import { useEffect, useRef } from "preact/hooks";

const REFRESH_AFTER_MS = 10 * 60 * 1000;

type Refetch = (options: { requestPolicy: "network-only" }) => void;

/** `answer` is the query's data: a new object each time fresh links arrive. */
export function useFreshSignedLinks(answer: unknown, refetch: Refetch) {
  const fetchedAt = useRef(Date.now());
  useEffect(() => {
    fetchedAt.current = Date.now();
  }, [answer]);

  useEffect(() => {
    const refreshIfOld = () => {
      if (document.visibilityState === "visible" && Date.now() - fetchedAt.current > REFRESH_AFTER_MS) {
        fetchedAt.current = Date.now();
        refetch({ requestPolicy: "network-only" });
      }
    };
    document.addEventListener("visibilitychange", refreshIfOld);
    addEventListener("focus", refreshIfOld);
    return () => {
      document.removeEventListener("visibilitychange", refreshIfOld);
      removeEventListener("focus", refreshIfOld);
    };
  }, [refetch]);
}
