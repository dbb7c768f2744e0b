"""The one client boundary to Google Gemini, shared by the business and risk advisors.

One request, bounded by ``GEMINI_TIMEOUT_SECONDS``, no retries: callers catch
every error and fall back to their deterministic answer.
"""
from django.conf import settings


def generate(prompt, *, json_response=False):
    """The model's text for ``prompt``; ``json_response`` asks for a JSON object at a low temperature."""
    # Imported on first use: google-genai is a large optional client that most
    # processes (tests, workers without GEMINI_API_KEY) never load.
    from google import genai
    from google.genai import types

    client = genai.Client(
        api_key=settings.GEMINI_API_KEY,
        http_options=types.HttpOptions(
            timeout=settings.GEMINI_TIMEOUT_SECONDS * 1000,  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
        ),
    )
    options = {}
    if json_response:
        options["config"] = types.GenerateContentConfig(temperature=0.2, response_mime_type="application/json")
    return client.models.generate_content(model=settings.GEMINI_MODEL, contents=prompt, **options).text
