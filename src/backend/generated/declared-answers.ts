// Generated from openapi/openapi.yaml by `npm run gen` — do not edit.
/* biome-ignore-all format: generated */
/** One declared answer of an operation: its status, the codes it can carry (the first is the default), example bodies by code, the first example, declared header names. */
export interface DeclaredAnswer {
  readonly status: number;
  readonly mediaType: string | null;
  readonly codes: readonly string[];
  readonly bodies: Readonly<Record<string, unknown>>;
  readonly example: unknown;
  readonly headers: readonly string[];
}

export const declaredAnswers: Readonly<Record<string, readonly DeclaredAnswer[]>> = {
  "createToken": [
    {
      "status": 200,
      "mediaType": "application/json",
      "codes": [],
      "bodies": {},
      "example": {
        "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX25hbWUiOiIxNDQ2MDIifQ.c2lnbmF0dXJl",
        "token_type": "bearer",
        "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdGkiOiJhIn0.c2lnbmF0dXJl",
        "expires_in": 86399,
        "scope": "read write",
        "jti": "73404d41-6fee-47c6-8af2-1722a98cd0cc"
      },
      "headers": [
        "cache-control"
      ]
    },
    {
      "status": 400,
      "mediaType": "application/json",
      "codes": [
        "invalid_request",
        "invalid_grant",
        "unsupported_grant_type",
        "invalid_scope"
      ],
      "bodies": {
        "invalid_grant": {
          "error": "invalid_grant",
          "error_description": "Bad credentials"
        }
      },
      "example": {
        "error": "invalid_grant",
        "error_description": "Bad credentials"
      },
      "headers": []
    },
    {
      "status": 401,
      "mediaType": "application/json",
      "codes": [
        "invalid_client"
      ],
      "bodies": {
        "invalid_client": {
          "error": "invalid_client",
          "error_description": "Client authentication failed"
        }
      },
      "example": {
        "error": "invalid_client",
        "error_description": "Client authentication failed"
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 413,
      "mediaType": "application/problem+json",
      "codes": [
        "PAYLOAD_TOO_LARGE"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 415,
      "mediaType": "application/problem+json",
      "codes": [
        "UNSUPPORTED_MEDIA_TYPE"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 421,
      "mediaType": "application/problem+json",
      "codes": [
        "HOST_NOT_ALLOWED"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 503,
      "mediaType": "application/problem+json",
      "codes": [
        "STORE_BUSY",
        "STORE_FULL"
      ],
      "bodies": {},
      "example": null,
      "headers": [
        "retry-after"
      ]
    }
  ],
  "reserveStock": [
    {
      "status": 200,
      "mediaType": "application/json",
      "codes": [],
      "bodies": {},
      "example": {
        "paymentOrderId": "testorder210621112151",
        "status": "RESERVED",
        "userName": "144602",
        "lines": [
          {
            "productStockId": 311191,
            "productId": 219622,
            "productName": "210521 KINGMING TEST PRODUCT 003",
            "color": "BLACK",
            "size": "L",
            "count": 1
          }
        ],
        "amount": "1500",
        "createdAt": "2021-06-21T11:21:51.000Z",
        "updatedAt": "2021-06-21T11:21:51.000Z",
        "expiresAt": null
      },
      "headers": []
    },
    {
      "status": 400,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_PARAMETER",
        "MISSING_PARAMETER",
        "DUPLICATE_PARAMETER",
        "MALFORMED_CUSTOM_DATA",
        "INVALID_CUSTOM_DATA",
        "NO_LINE_ITEMS",
        "TOO_MANY_LINE_ITEMS",
        "INVALID_COUNT",
        "UNKNOWN_SKU"
      ],
      "bodies": {
        "UNKNOWN_SKU": {
          "type": "urn:stockproof:problem:unknown-sku",
          "title": "Unknown SKU",
          "status": 400,
          "code": "UNKNOWN_SKU",
          "detail": "Unknown productStockId: 999999. Nothing was reserved.",
          "unknownSkus": [
            "999999"
          ]
        },
        "MALFORMED_CUSTOM_DATA": {
          "type": "urn:stockproof:problem:malformed-custom-data",
          "title": "Malformed customData",
          "status": 400,
          "code": "MALFORMED_CUSTOM_DATA",
          "detail": "customData is not valid JSON: Unexpected token } at position 12"
        }
      },
      "example": {
        "type": "urn:stockproof:problem:unknown-sku",
        "title": "Unknown SKU",
        "status": 400,
        "code": "UNKNOWN_SKU",
        "detail": "Unknown productStockId: 999999. Nothing was reserved.",
        "unknownSkus": [
          "999999"
        ]
      },
      "headers": []
    },
    {
      "status": 401,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_TOKEN"
      ],
      "bodies": {
        "INVALID_TOKEN": {
          "type": "urn:stockproof:problem:invalid-token",
          "title": "Invalid token",
          "status": 401,
          "code": "INVALID_TOKEN",
          "detail": "The access token has expired."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:invalid-token",
        "title": "Invalid token",
        "status": 401,
        "code": "INVALID_TOKEN",
        "detail": "The access token has expired."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 403,
      "mediaType": "application/problem+json",
      "codes": [
        "INSUFFICIENT_SCOPE"
      ],
      "bodies": {
        "INSUFFICIENT_SCOPE": {
          "type": "urn:stockproof:problem:insufficient-scope",
          "title": "Insufficient scope",
          "status": 403,
          "code": "INSUFFICIENT_SCOPE",
          "detail": "This operation needs the scopes read and write."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:insufficient-scope",
        "title": "Insufficient scope",
        "status": 403,
        "code": "INSUFFICIENT_SCOPE",
        "detail": "This operation needs the scopes read and write."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 409,
      "mediaType": "application/problem+json",
      "codes": [
        "OUT_OF_STOCK",
        "DUPLICATE_PAYMENT_ORDER"
      ],
      "bodies": {
        "OUT_OF_STOCK": {
          "type": "urn:stockproof:problem:out-of-stock",
          "title": "Out of stock",
          "status": 409,
          "code": "OUT_OF_STOCK",
          "detail": "Not enough stock for SKU 311191: requested 2, available 1. Nothing was reserved.",
          "shortages": [
            {
              "productStockId": 311191,
              "requested": 2,
              "available": 1
            }
          ]
        },
        "DUPLICATE_PAYMENT_ORDER": {
          "type": "urn:stockproof:problem:duplicate-payment-order",
          "title": "Duplicate paymentOrderId",
          "status": 409,
          "code": "DUPLICATE_PAYMENT_ORDER",
          "detail": "paymentOrderId P_1 has already been reserved."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:out-of-stock",
        "title": "Out of stock",
        "status": 409,
        "code": "OUT_OF_STOCK",
        "detail": "Not enough stock for SKU 311191: requested 2, available 1. Nothing was reserved.",
        "shortages": [
          {
            "productStockId": 311191,
            "requested": 2,
            "available": 1
          }
        ]
      },
      "headers": []
    },
    {
      "status": 414,
      "mediaType": "application/problem+json",
      "codes": [
        "URI_TOO_LONG"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 421,
      "mediaType": "application/problem+json",
      "codes": [
        "HOST_NOT_ALLOWED"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 503,
      "mediaType": "application/problem+json",
      "codes": [
        "STORE_BUSY",
        "STORE_FULL"
      ],
      "bodies": {},
      "example": null,
      "headers": [
        "retry-after"
      ]
    }
  ],
  "payOrder": [
    {
      "status": 200,
      "mediaType": "application/json",
      "codes": [],
      "bodies": {},
      "example": {
        "paymentOrderId": "testorder210621112151",
        "status": "PAID",
        "userName": "144602",
        "lines": [
          {
            "productStockId": 311191,
            "productId": 219622,
            "productName": "210521 KINGMING TEST PRODUCT 003",
            "color": "BLACK",
            "size": "L",
            "count": 1
          }
        ],
        "amount": "1500",
        "createdAt": "2021-06-21T11:21:51.000Z",
        "updatedAt": "2021-06-21T11:22:03.000Z",
        "expiresAt": null
      },
      "headers": []
    },
    {
      "status": 400,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_PARAMETER",
        "MISSING_PARAMETER",
        "DUPLICATE_PARAMETER",
        "MALFORMED_CUSTOM_DATA",
        "INVALID_CUSTOM_DATA",
        "NO_LINE_ITEMS",
        "TOO_MANY_LINE_ITEMS",
        "INVALID_COUNT",
        "UNKNOWN_SKU"
      ],
      "bodies": {
        "UNKNOWN_SKU": {
          "type": "urn:stockproof:problem:unknown-sku",
          "title": "Unknown SKU",
          "status": 400,
          "code": "UNKNOWN_SKU",
          "detail": "Unknown productStockId: 999999. Nothing was reserved.",
          "unknownSkus": [
            "999999"
          ]
        },
        "MALFORMED_CUSTOM_DATA": {
          "type": "urn:stockproof:problem:malformed-custom-data",
          "title": "Malformed customData",
          "status": 400,
          "code": "MALFORMED_CUSTOM_DATA",
          "detail": "customData is not valid JSON: Unexpected token } at position 12"
        }
      },
      "example": {
        "type": "urn:stockproof:problem:unknown-sku",
        "title": "Unknown SKU",
        "status": 400,
        "code": "UNKNOWN_SKU",
        "detail": "Unknown productStockId: 999999. Nothing was reserved.",
        "unknownSkus": [
          "999999"
        ]
      },
      "headers": []
    },
    {
      "status": 401,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_TOKEN"
      ],
      "bodies": {
        "INVALID_TOKEN": {
          "type": "urn:stockproof:problem:invalid-token",
          "title": "Invalid token",
          "status": 401,
          "code": "INVALID_TOKEN",
          "detail": "The access token has expired."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:invalid-token",
        "title": "Invalid token",
        "status": 401,
        "code": "INVALID_TOKEN",
        "detail": "The access token has expired."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 403,
      "mediaType": "application/problem+json",
      "codes": [
        "INSUFFICIENT_SCOPE"
      ],
      "bodies": {
        "INSUFFICIENT_SCOPE": {
          "type": "urn:stockproof:problem:insufficient-scope",
          "title": "Insufficient scope",
          "status": 403,
          "code": "INSUFFICIENT_SCOPE",
          "detail": "This operation needs the scopes read and write."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:insufficient-scope",
        "title": "Insufficient scope",
        "status": 403,
        "code": "INSUFFICIENT_SCOPE",
        "detail": "This operation needs the scopes read and write."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 404,
      "mediaType": "application/problem+json",
      "codes": [
        "ORDER_NOT_FOUND"
      ],
      "bodies": {
        "ORDER_NOT_FOUND": {
          "type": "urn:stockproof:problem:order-not-found",
          "title": "Order not found",
          "status": 404,
          "code": "ORDER_NOT_FOUND",
          "detail": "No order P_404 for this user."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:order-not-found",
        "title": "Order not found",
        "status": 404,
        "code": "ORDER_NOT_FOUND",
        "detail": "No order P_404 for this user."
      },
      "headers": []
    },
    {
      "status": 409,
      "mediaType": "application/problem+json",
      "codes": [
        "ORDER_CANCELLED",
        "ORDER_EXPIRED"
      ],
      "bodies": {
        "ORDER_CANCELLED": {
          "type": "urn:stockproof:problem:order-cancelled",
          "title": "Order cancelled",
          "status": 409,
          "code": "ORDER_CANCELLED",
          "detail": "Order P_1 was cancelled and cannot be paid."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:order-cancelled",
        "title": "Order cancelled",
        "status": 409,
        "code": "ORDER_CANCELLED",
        "detail": "Order P_1 was cancelled and cannot be paid."
      },
      "headers": []
    },
    {
      "status": 414,
      "mediaType": "application/problem+json",
      "codes": [
        "URI_TOO_LONG"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 421,
      "mediaType": "application/problem+json",
      "codes": [
        "HOST_NOT_ALLOWED"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 503,
      "mediaType": "application/problem+json",
      "codes": [
        "STORE_BUSY",
        "STORE_FULL"
      ],
      "bodies": {},
      "example": null,
      "headers": [
        "retry-after"
      ]
    }
  ],
  "cancelOrder": [
    {
      "status": 200,
      "mediaType": "application/json",
      "codes": [],
      "bodies": {},
      "example": {
        "paymentOrderId": "testorder210621112151",
        "status": "CANCELLED",
        "userName": "144602",
        "lines": [
          {
            "productStockId": 311191,
            "productId": 219622,
            "productName": "210521 KINGMING TEST PRODUCT 003",
            "color": "BLACK",
            "size": "L",
            "count": 1
          }
        ],
        "amount": "1500",
        "createdAt": "2021-06-21T11:21:51.000Z",
        "updatedAt": "2021-06-21T11:22:03.000Z",
        "expiresAt": null
      },
      "headers": []
    },
    {
      "status": 400,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_PARAMETER",
        "MISSING_PARAMETER",
        "DUPLICATE_PARAMETER",
        "MALFORMED_CUSTOM_DATA",
        "INVALID_CUSTOM_DATA",
        "NO_LINE_ITEMS",
        "TOO_MANY_LINE_ITEMS",
        "INVALID_COUNT",
        "UNKNOWN_SKU"
      ],
      "bodies": {
        "UNKNOWN_SKU": {
          "type": "urn:stockproof:problem:unknown-sku",
          "title": "Unknown SKU",
          "status": 400,
          "code": "UNKNOWN_SKU",
          "detail": "Unknown productStockId: 999999. Nothing was reserved.",
          "unknownSkus": [
            "999999"
          ]
        },
        "MALFORMED_CUSTOM_DATA": {
          "type": "urn:stockproof:problem:malformed-custom-data",
          "title": "Malformed customData",
          "status": 400,
          "code": "MALFORMED_CUSTOM_DATA",
          "detail": "customData is not valid JSON: Unexpected token } at position 12"
        }
      },
      "example": {
        "type": "urn:stockproof:problem:unknown-sku",
        "title": "Unknown SKU",
        "status": 400,
        "code": "UNKNOWN_SKU",
        "detail": "Unknown productStockId: 999999. Nothing was reserved.",
        "unknownSkus": [
          "999999"
        ]
      },
      "headers": []
    },
    {
      "status": 401,
      "mediaType": "application/problem+json",
      "codes": [
        "INVALID_TOKEN"
      ],
      "bodies": {
        "INVALID_TOKEN": {
          "type": "urn:stockproof:problem:invalid-token",
          "title": "Invalid token",
          "status": 401,
          "code": "INVALID_TOKEN",
          "detail": "The access token has expired."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:invalid-token",
        "title": "Invalid token",
        "status": 401,
        "code": "INVALID_TOKEN",
        "detail": "The access token has expired."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 403,
      "mediaType": "application/problem+json",
      "codes": [
        "INSUFFICIENT_SCOPE"
      ],
      "bodies": {
        "INSUFFICIENT_SCOPE": {
          "type": "urn:stockproof:problem:insufficient-scope",
          "title": "Insufficient scope",
          "status": 403,
          "code": "INSUFFICIENT_SCOPE",
          "detail": "This operation needs the scopes read and write."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:insufficient-scope",
        "title": "Insufficient scope",
        "status": 403,
        "code": "INSUFFICIENT_SCOPE",
        "detail": "This operation needs the scopes read and write."
      },
      "headers": [
        "www-authenticate"
      ]
    },
    {
      "status": 404,
      "mediaType": "application/problem+json",
      "codes": [
        "ORDER_NOT_FOUND"
      ],
      "bodies": {
        "ORDER_NOT_FOUND": {
          "type": "urn:stockproof:problem:order-not-found",
          "title": "Order not found",
          "status": 404,
          "code": "ORDER_NOT_FOUND",
          "detail": "No order P_404 for this user."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:order-not-found",
        "title": "Order not found",
        "status": 404,
        "code": "ORDER_NOT_FOUND",
        "detail": "No order P_404 for this user."
      },
      "headers": []
    },
    {
      "status": 409,
      "mediaType": "application/problem+json",
      "codes": [
        "ORDER_PAID"
      ],
      "bodies": {
        "ORDER_PAID": {
          "type": "urn:stockproof:problem:order-paid",
          "title": "Order paid",
          "status": 409,
          "code": "ORDER_PAID",
          "detail": "Order P_1 is paid and cannot be cancelled."
        }
      },
      "example": {
        "type": "urn:stockproof:problem:order-paid",
        "title": "Order paid",
        "status": 409,
        "code": "ORDER_PAID",
        "detail": "Order P_1 is paid and cannot be cancelled."
      },
      "headers": []
    },
    {
      "status": 414,
      "mediaType": "application/problem+json",
      "codes": [
        "URI_TOO_LONG"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 421,
      "mediaType": "application/problem+json",
      "codes": [
        "HOST_NOT_ALLOWED"
      ],
      "bodies": {},
      "example": null,
      "headers": []
    },
    {
      "status": 503,
      "mediaType": "application/problem+json",
      "codes": [
        "STORE_BUSY",
        "STORE_FULL"
      ],
      "bodies": {},
      "example": null,
      "headers": [
        "retry-after"
      ]
    }
  ]
};
