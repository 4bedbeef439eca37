"""Упражнение 3.2.2. Многоголовое причинное внимание.

Напишите multi_head_attention(x, qkv_weight, qkv_bias, proj_weight, proj_bias, n_head):
то, что считает nn.MultiheadAttention с причинной маской, но своими руками.

- x — (B, T, E); qkv_weight — (3E, E), qkv_bias — (3E,): один линейный слой даёт сразу
  запросы, ключи и значения — первые E чисел выхода это q, следующие E — k, последние — v;
- каждый из q, k, v разрежьте на n_head голов по d = E / n_head чисел: голова h берёт
  числа h·d … (h + 1)·d − 1 вектора каждой позиции; нужная форма — (B, n_head, T, d);
- в каждой голове — причинное внимание (здесь можно F.scaled_dot_product_attention);
- ответы голов склейте обратно в (B, T, E) в том же порядке и пропустите через выходной
  слой: proj_weight — (E, E), proj_bias — (E,);
- верните (B, T, E).

nn.MultiheadAttention вызывать нельзя: с ним проверка сравнит ответ, скопировав в него
ваши веса (in_proj_weight = qkv_weight, out_proj = proj).

Проверка: kurs check 3.2.2   Подсказка: kurs hint 3.2.2
"""

import torch


def multi_head_attention(
    x: torch.Tensor,
    qkv_weight: torch.Tensor,
    qkv_bias: torch.Tensor,
    proj_weight: torch.Tensor,
    proj_bias: torch.Tensor,
    n_head: int,
) -> torch.Tensor:
    raise NotImplementedError
