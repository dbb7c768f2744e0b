import { act, renderHook, waitFor } from "@testing-library/react";
import { useLoad } from "./useLoad";

test("when reloads overlap, the latest answer wins even if an older one arrives last", async () => {
  const answers: ((value: string) => void)[] = [];
  const load = () => new Promise<string>((resolve) => answers.push(resolve));
  const { result } = renderHook(() => useLoad(load, []));

  let second: Promise<void>;
  act(() => {
    second = result.current.reload();
  });
  await act(async () => {
    answers[1]("new");
    await second;
  });
  await act(async () => answers[0]("old"));

  await waitFor(() => expect(result.current.loading).toBe(false));
  expect(result.current.data).toBe("new");
});
