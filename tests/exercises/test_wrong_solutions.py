"""Библиотека намеренно неверных решений: каждое получает свой вердикт и точное сообщение.

Файлы в tests/exercises/wrong/ — типичные ошибки учеников (забытый zero_grad, деление на
D − 1 вместо D, softmax без вычитания максимума, изменённый на месте вход, запрещённая
функция…). Ожидаемые фрагменты сообщений сверены вручную с тем, какую ошибку содержит
файл: проверка должна назвать именно её, а не просто сказать «неверно».

Каждый файл проверяется дважды при разном состоянии глобальных генераторов torch,
random и NumPy в родителе: вердикт и текст обязаны совпасть (детерминизм проверки).
"""

from pathlib import Path

import pytest

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong"

CASES = [
    ("w1_3_4_accumulate.py", "wrong", "градиенты накапливаются от шага к шагу"),
    ("w1_3_4_nodetach.py", "wrong", "ответ связан с графом (requires_grad=True)"),
    ("w1_3_4_optim.py", "forbidden", "условие запрещает пользоваться torch.optim.SGD"),
    ("w1_1_1_a.py", "wrong", "numbered_grid(2, 3): значения не совпадают"),
    ("w1_1_2_a.py", "wrong", "chessboard(3, 4, int64): значения не совпадают"),
    (
        "w1_1_3_a.py",
        "wrong",
        "массив float32 (2, 3) уже хранит float32, но ваш тензор не делит с ним",
    ),
    (
        "w1_1_3_b.py",
        "wrong",
        "тензор из массива float64 (3, 2): ожидался тип torch.float32, получен ",
    ),
    (
        "w1_2_1_a.py",
        "wrong",
        "normalize_last([[1, 2, 3], [2, 2, 2]]): вы делите на несмещённую диспе",
    ),
    (
        "w1_2_1_b.py",
        "forbidden",
        "условие запрещает пользоваться torch.nn.functional.layer_norm; напишит",
    ),
    (
        "w1_2_2_a.py",
        "error",
        "ваш код выбросил исключение — строка 3 файла w1_2_2_a.py: return ((a -",
    ),
    ("w1_2_2_b.py", "forbidden", "условие запрещает пользоваться torch.cdist; напишите это сами"),
    (
        "w1_2_3_a.py",
        "wrong",
        "ваша функция изменила входной аргумент №1 на месте (in-place); верните",
    ),
    (
        "w1_2_3_b.py",
        "wrong",
        "заполненная таблица (входные данные: x = [[1, nan, nan], [3, 4, nan], ",
    ),
    (
        "w1_2_4_a.py",
        "wrong",
        "оценки не поделены на sqrt(D): для D = 2 каждая должна быть в √2 раз м",
    ),
    ("w1_2_4_b.py", "forbidden", "условие запрещает пользоваться оператором @; напишите это сами"),
    (
        "w1_2_4_c.py",
        "wrong",
        "оценки (входные данные: q = [[[1, 0], [0, 1]]], k = [[[1, 1], [2, 0], ",
    ),
    (
        "w1_4_1_a.py",
        "wrong",
        "MyLinear(4, 3, bias=True): у модуля нет ни одного параметра. Оберните ",
    ),
    (
        "w1_4_1_b.py",
        "wrong",
        "MyLinear(4, 3, bias=True): у параметра weight ожидалась форма (3, 4), ",
    ),
    (
        "w1_4_1_c.py",
        "wrong",
        "выход слоя (входные данные: weight = [[1, 2], [0, -1]], bias = [10, 20",
    ),
    (
        "w1_4_1_d.py",
        "wrong",
        "MyLinear(4, 3, bias=True): в state_dict ожидались ключи ['weight', 'bi",
    ),
    (
        "w1_4_2_a.py",
        "wrong",
        "logits формы (6, 5) со стандартным отклонением ~1000, зерно 4: получилось nan",
    ),
    (
        "w1_4_2_b.py",
        "forbidden",
        "условие запрещает пользоваться torch.nn.functional.cross_entropy; напи",
    ),
    (
        "w1_4_2_c.py",
        "wrong",
        "logits = [[2, 1, 0], [0, 0, 0]], target = [0, 2]: потеря не связана с ",
    ),
    (
        "w1_4_2_d.py",
        "wrong",
        "потеря (входные данные: logits = [[2, 1, 0], [0, 0, 0]], target = [0, ",
    ),
    (
        "w1_4_3_a.py",
        "wrong",
        "lr=0.02, momentum=0.5, генератор параметров, шаг 1: после step() парам",
    ),
    (
        "w1_4_3_b.py",
        "error",
        "ваш код выбросил исключение — строка 8 файла w1_4_3_b.py: p -= self.lr",
    ),
    (
        "w1_4_3_c.py",
        "wrong",
        "lr=0.1, momentum=0.0, список параметров, шаг 1: после step() параметры",
    ),
    (
        "w1_4_3_d.py",
        "wrong",
        "lr=0.1, momentum=0.0, список параметров, шаг 2: после zero_grad() у па",
    ),
    (
        "w1_4_3_e.py",
        "error",
        "ваш код выбросил исключение — строка 9 файла w1_4_3_e.py: v.mul_(self.",
    ),
    (
        "w1_5_1_a.py",
        "wrong",
        "features float64 (3, 2), labels int32: x из dataset[0]: ожидался тип t",
    ),
    (
        "w1_5_1_b.py",
        "wrong",
        "features float64 (3, 2), labels int32: y из dataset[0]: ожидался torch",
    ),
    (
        "w1_5_1_c.py",
        "wrong",
        "features из 5 примеров и labels из 4: ожидался ValueError, а набор соз",
    ),
    (
        "w1_5_2_a.py",
        "wrong",
        "mask (входные данные: batch = [([[1], [2], [3]], 0), ([[4]], 2)]): ожи",
    ),
    (
        "w1_5_2_b.py",
        "forbidden",
        "условие запрещает пользоваться torch.nn.utils.rnn.pad_sequence; напиши",
    ),
    (
        "w1_5_2_c.py",
        "wrong",
        "padded (входные данные: batch = [([[1], [2], [3]], 0), ([[4]], 2)]): з",
    ),
    (
        "w1_5_3_a.py",
        "wrong",
        "n=10, val_fraction=0.2, seed=0: функция сдвинула глобальный генератор ",
    ),
    (
        "w1_5_3_b.py",
        "wrong",
        "n=7, val_fraction=0.5, seed=3: размер валидационной части должен быть int",
    ),
    (
        "w1_5_3_c.py",
        "wrong",
        "n=100, seed=0: в валидационную часть попали подряд идущие номера 80..99 ",
    ),
    (
        "w1_5_3_d.py",
        "wrong",
        "n=100: seed 0, 1, 2 и 3 дали одинаковое деление — seed должен влиять н",
    ),
    (
        "w1_5_3_e.py",
        "wrong",
        "n=10, val_fraction=0.2, seed=0: части пересекаются, общие номера: [3, ",
    ),
    (
        "w1_9_1_noopt.py",
        "wrong",
        "ключи словаря в файле: ['epoch', 'model']; ожидались ровно 'epoch', 'm",
    ),
    (
        "w1_9_1_pickle.py",
        "wrong",
        "файл не открывается через torch.load(path, weights_only=True) — внутри",
    ),
    (
        "w1_9_1_tensor_epoch.py",
        "wrong",
        "«epoch» (Adam, эпоха 3): ожидалось целое число int, лежит Tensor",
    ),
    (
        "w1_9_2_newmodel.py",
        "wrong",
        "веса переданной модели не равны сохранённым (Adam, в файле epoch=4): з",
    ),
    (
        "w1_9_2_noopt.py",
        "wrong",
        "веса загружены, но следующий шаг обучения отличается от шага без перер",
    ),
    (
        "w1_9_2_unsafe.py",
        "wrong",
        "файл открыт с weights_only=False; по условию читайте с weights_only=Tr",
    ),
    (
        "w1_9_3_features_only.py",
        "error",
        "ваш код выбросил исключение — строка 3 файла w1_9_3_features_only.py: ",
    ),
    (
        "w1_9_3_noreturn.py",
        "wrong",
        "верните ту же модель, что пришла на вход (return model), а не None",
    ),
    (
        "w1_9_3_wrong_order.py",
        "wrong",
        "параметры новой головы заморожены: head.weight, head.bias; голова долж",
    ),
    (
        "w1_9_4_noopt.py",
        "wrong",
        "перезапуск (Adam, в файле epoch=2, num_epochs=6): итоговые веса не сов",
    ),
    (
        "w1_9_4_offbyone.py",
        "wrong",
        "первый запуск (Adam, файла ещё нет, num_epochs=2): в чекпойнте epoch=1",
    ),
    (
        "w1_9_4_saveend.py",
        "wrong",
        "перезапуск после сбоя посреди эпохи 2 (Adam): ожидались эпохи [2, 3, 4",
    ),
    (
        "w1_6_1_lstsq.py",
        "forbidden",
        "условие запрещает пользоваться torch.linalg.lstsq; напишите это сами",
    ),
    (
        "w1_6_1_nobias.py",
        "wrong",
        "w (входные данные: точки ровно на прямой y = 2x − 1): значения не совп",
    ),
    (
        "w1_6_1_shape.py",
        "wrong",
        "b (входные данные: точки ровно на прямой y = 2x − 1): ожидалась форма ",
    ),
    (
        "w1_6_2_after_loss.py",
        "wrong",
        "SGD(lr=0.1), MSELoss, шаг №1: потери до шага: ваш результат 1.03928, о",
    ),
    (
        "w1_6_2_late_zero.py",
        "wrong",
        "SGD(lr=0.1), MSELoss, шаг №1: параметры модели не изменились. Вызван л",
    ),
    (
        "w1_6_2_nozero.py",
        "wrong",
        "SGD(lr=0.1), MSELoss, шаг №1: шаг совпал с шагом без обнуления градиен",
    ),
    (
        "w1_6_2_tensor.py",
        "wrong",
        "SGD(lr=0.1), MSELoss, шаг №1: возвращён тензор, а нужно число Python —",
    ),
    (
        "w1_6_3_broadcast.py",
        "wrong",
        "(4 точки на прямой y = 2x − 1, lr=0.1, epochs=3) выход модели формы (N",
    ),
    (
        "w1_6_3_noinit.py",
        "wrong",
        "вес (входные данные: 4 точки на прямой y = 2x − 1, lr=0.1, epochs=3): ",
    ),
    (
        "w1_7_1_dim0.py",
        "wrong",
        "доля верных ответов (logits [[2, 1], [0, 3], [1, 0]], targets [0, 0, 0]): ваш",
    ),
    (
        "w1_7_1_tensor.py",
        "wrong",
        "(logits [[2, 1], [0, 3], [1, 0]], targets [0, 0, 0]) возвращён тензор,",
    ),
    (
        "w1_7_2_inplace.py",
        "wrong",
        "ваша функция изменила входной аргумент №2 на месте (in-place); верните",
    ),
    (
        "w1_7_2_nan.py",
        "wrong",
        "(train [[1, 10], [3, 10], [5, 10]], test [[3, 10], [7, 0]]) в train_st",
    ),
    (
        "w1_7_2_pop.py",
        "wrong",
        "(train [[1, 10], [3, 10], [5, 10]], test [[3, 10], [7, 0]]) std посчит",
    ),
    (
        "w1_7_2_teststats.py",
        "wrong",
        "(train [[1, 10], [3, 10], [5, 10]], test [[3, 10], [7, 0]]) test станд",
    ),
    (
        "w1_7_3_globalmax.py",
        "wrong",
        "на логитах [[1000, 999, 0], [-1000, -1000, -1000]] получились nan или ",
    ),
    (
        "w1_7_3_lastdim.py",
        "wrong",
        "softmax (входные данные: форма (3, 4), dim=0, torch.float32, логиты по",
    ),
    (
        "w1_7_3_naive.py",
        "wrong",
        "на логитах [[1000, 999, 0], [-1000, -1000, -1000]] получились nan или ",
    ),
    (
        "w1_7_3_torch.py",
        "forbidden",
        "условие запрещает пользоваться torch.softmax; напишите это сами",
    ),
    (
        "w1_8_1_list.py",
        "wrong",
        "MLP(64, [32, 16], 10, p=0.5): в модели не найдено ни одного nn.Linear.",
    ),
    (
        "w1_8_1_nodrop.py",
        "wrong",
        "MLP(64, [32, 16], 10, p=0.5): в режиме train() после скрытого слоя №1 ничего не обнулено",
    ),
    (
        "w1_8_1_noflat.py",
        "error",
        "ваш код выбросил исключение — строка 11 файла w1_8_1_noflat.py: return",
    ),
    (
        "w1_8_1_relu_end.py",
        "wrong",
        "выход в режиме eval() (эталон: Linear → ReLU → … → Linear, в конце без",
    ),
    (
        "w1_8_2_batchmean.py",
        "wrong",
        "(10 примеров батчами по 4, модель в режиме train()) вы усреднили доли верных ответов по батчам",
    ),
    (
        "w1_8_2_noeval.py",
        "wrong",
        "(10 примеров батчами по 4, модель в режиме train()) модель вызвана в р",
    ),
    (
        "w1_8_2_nograd.py",
        "wrong",
        "(10 примеров батчами по 4, модель в режиме train()) во время оценки ст",
    ),
    (
        "w1_8_2_norestore.py",
        "wrong",
        "(10 примеров батчами по 4, модель в режиме train()) после оценки модел",
    ),
    (
        "w1_8_3_detach.py",
        "wrong",
        "результат отцеплен от графа: градиент не дойдёт до x (не используйте .",
    ),
    (
        "w1_8_3_global.py",
        "wrong",
        "два вызова с генераторами из одного зерна дали разные маски: берите сл",
    ),
    (
        "w1_8_3_noscale.py",
        "wrong",
        "dropout(x формы (200, 250), p=0.3, training=True): выжившие элементы д",
    ),
    (
        "w1_8_3_p1.py",
        "wrong",
        "dropout(x, p=1, training=True): получены nan — при p=1 верните нули, н",
    ),
    (
        "w1_8_3_torch.py",
        "forbidden",
        "условие запрещает пользоваться torch.nn.functional.dropout; напишите э",
    ),
    (
        "w1_8_3_wrongp.py",
        "wrong",
        "dropout(x формы (200, 250), p=0.3, training=True): обнулено 70.0 % элементов, а при p=0.3 должно быть около 30 %",
    ),
    (
        "w1_6_3_adam.py",
        "wrong",
        "Проверка повторяет ровно epochs=3 шагов обычного SGD (lr=0.1, без импульса)",
    ),
    (
        "w1_6_3_more_epochs.py",
        "wrong",
        "ваши вес и смещение ближе к наилучшей прямой, чем должны быть",
    ),
    (
        "w1_7_4_batchmean.py",
        "wrong",
        "вы усреднили потери батчей: 1.80117, а средняя по всем примерам — 1.96336",
    ),
    ("w1_7_4_lastloss.py", "wrong", "возвращена потеря последнего батча (0.99025)"),
    (
        "w1_7_4_late_zero.py",
        "wrong",
        "эпоха 1) параметры модели не изменились. Вызван ли optimizer.step()",
    ),
    (
        "w1_7_4_notrain.py",
        "wrong",
        "модель в режиме eval(), эпоха 1) модель обучалась в режиме eval(). Вызовите model.train()",
    ),
    (
        "w1_7_4_nozero.py",
        "wrong",
        "градиенты копятся от батча к батчу: параметры совпали с обучением без обнуления",
    ),
    ("w1_7_4_onestep.py", "wrong", "за эпоху сделано шагов оптимизатора: 1, а батчей 3"),
    ("w1_7_4_tensor.py", "wrong", "возвращён тензор, а нужно число Python. Копите loss.item()"),
    (
        "w1_8_1_double_drop.py",
        "wrong",
        "после скрытого слоя №1 выжившие значения должны быть ReLU(…) / (1 − p) = ReLU(…) / 0.5",
    ),
    (
        "w1_8_1_drop_end.py",
        "wrong",
        "в режиме train() выход сети отличается от выхода последнего линейного слоя",
    ),
    (
        "w1_8_1_input_dropout.py",
        "wrong",
        "обнулена часть входных признаков (пикселей) — Dropout стоит перед первым линейным слоем",
    ),
    (
        "w1_8_4_alias.py",
        "wrong",
        "в модели остались веса последней эпохи (5), а нужны веса лучшей (2)",
    ),
    (
        "w1_8_4_epoch1.py",
        "wrong",
        "возвращена эпоха 3, а лучшая — 2 с потерей 0.7. Эпохи нумеруются с 0",
    ),
    (
        "w1_8_4_le.py",
        "wrong",
        "(равная потеря — не улучшение): всего эпох 3, а ваша функция провела 5",
    ),
    (
        "w1_8_4_noload.py",
        "wrong",
        "в модели остались веса последней эпохи (5), а нужны веса лучшей (2)",
    ),
    (
        "w1_8_4_noreset.py",
        "wrong",
        "всего эпох 5, а ваша функция провела 4: остановка на эпоху раньше",
    ),
    (
        "w1_8_4_offbyone.py",
        "wrong",
        "всего эпох 6, а ваша функция провела 7: остановка на эпоху позже",
    ),
]


def _check_under_global_seed(exercise, path, seed: int):
    """Проверка, когда глобальные генераторы родителя в каком-то своём состоянии."""
    import random

    import numpy
    import torch

    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)
    torch.rand(seed + 3)  # и ещё сдвигаем: состояние как после чужой работы
    return check(exercise, path)


@pytest.mark.parametrize(("name", "kind", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_wrong_solution_gets_precise_and_repeatable_verdict(name, kind, fragment):
    """Точный вердикт — и тот же самый (вид и текст) при другом состоянии генераторов."""
    exercise = find(name[1:6].replace("_", "."))
    verdict = _check_under_global_seed(exercise, WRONG / name, seed=1)
    assert verdict.kind == kind, verdict
    assert fragment in verdict.message
    again = _check_under_global_seed(exercise, WRONG / name, seed=2)
    assert again == verdict, "тот же файл — другой вердикт: проверка недетерминирована"


def test_every_wrong_solution_file_is_listed():
    assert sorted(p.name for p in WRONG.glob("*.py")) == sorted(c[0] for c in CASES)
